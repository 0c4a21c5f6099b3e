package io.otprune.data;

/** The shape of one image as the models see it: channels (1 grey, 3 RGB), height and width in pixels. */
public record ImageShape(int channels, int height, int width) {
    public ImageShape {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("images have 1 (grey) or 3 (RGB) channels, got " + channels);
        }
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + height + "x" + width);
        }
    }

    /** Bytes of one image, channel planes one after the other (CHW). */
    public int bytes() {
        return channels * height * width;
    }

    /** Pixels of one channel plane. */
    public int plane() {
        return height * width;
    }

    /** The same size with another channel count. */
    public ImageShape withChannels(int c) {
        return new ImageShape(c, height, width);
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }
}
