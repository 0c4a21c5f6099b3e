package io.otprune.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The PNG fast path gives ImageIO's pixels, and leaves to ImageIO what it does not handle. */
class PngDecoderTest {
    static byte[] png(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(img, "png", out)).isTrue();
        return out.toByteArray();
    }

    /** Gradients, edges and noise, so that ImageIO's writer picks every row filter somewhere. */
    static int value(Random r, int x, int y, int c) {
        return switch ((y / 4) % 4) {
            case 0 -> (x * 7 + y * 3 + c * 50) & 0xff;
            case 1 -> r.nextInt(256);
            case 2 -> x < 15 ? 10 : 240;
            default -> (x * y + c) & 0xff;
        };
    }

    /** What ImageIO reads, as the image folder reads it: grey samples as stored, colour through getRGB. */
    static byte[] imageIoPixels(byte[] file, int channels) throws IOException {
        BufferedImage img = ImageIO.read(new java.io.ByteArrayInputStream(file));
        int w = img.getWidth(), h = img.getHeight(), plane = w * h;
        byte[] out = new byte[channels * plane];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (channels == 1) {
                    out[y * w + x] = (byte) img.getRaster().getSample(x, y, 0);
                } else {
                    int v = img.getRGB(x, y);
                    out[y * w + x] = (byte) (v >> 16);
                    out[plane + y * w + x] = (byte) (v >> 8);
                    out[2 * plane + y * w + x] = (byte) v;
                }
            }
        }
        return out;
    }

    @Test
    void greyRgbRgbaAndGreyAlphaMatchImageIo() throws Exception {
        Random r = new Random(1);
        int w = 31, h = 29; // odd sizes: no row lines up with anything
        BufferedImage grey = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        BufferedImage rgba = new BufferedImage(w, h, BufferedImage.TYPE_4BYTE_ABGR);
        ComponentColorModel greyAlphaModel = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true,
                false, Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        WritableRaster gaRaster = greyAlphaModel.createCompatibleWritableRaster(w, h);
        BufferedImage greyAlpha = new BufferedImage(greyAlphaModel, gaRaster, false, null);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                grey.getRaster().setSample(x, y, 0, value(r, x, y, 0));
                int rr = value(r, x, y, 0), gg = value(r, x, y, 1), bb = value(r, x, y, 2);
                rgb.setRGB(x, y, rr << 16 | gg << 8 | bb);
                rgba.setRGB(x, y, 0xff000000 | rr << 16 | gg << 8 | bb);
                gaRaster.setSample(x, y, 0, value(r, x, y, 0));
                gaRaster.setSample(x, y, 1, 255);
            }
        }
        Object[][] cases = {{grey, 1}, {rgb, 3}, {rgba, 3}, {greyAlpha, 1}};
        for (Object[] c : cases) {
            byte[] file = png((BufferedImage) c[0]);
            int channels = (int) c[1];
            PngDecoder.Decoded d = PngDecoder.decode(file);
            assertThat(d).as("decoded: channels %d", channels).isNotNull();
            assertThat(d.shape()).isEqualTo(new ImageShape(channels, h, w));
            assertThat(PngDecoder.shape(file)).isEqualTo(d.shape());
            assertThat(Arrays.equals(d.pixels(), imageIoPixels(file, channels))).as("pixels, %d channels", channels)
                    .isTrue();
        }
    }

    @Test
    void otherKindsAreLeftToImageIoAndDamageIsAnError() throws Exception {
        BufferedImage grey16 = new BufferedImage(8, 8, BufferedImage.TYPE_USHORT_GRAY);
        BufferedImage palette = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_INDEXED);
        for (BufferedImage img : new BufferedImage[] {grey16, palette}) {
            assertThat(PngDecoder.decode(png(img))).isNull();
            assertThat(PngDecoder.shape(png(img))).isNull();
        }
        assertThat(PngDecoder.decode("not a png at all, just text".getBytes())).isNull();

        BufferedImage noise = new BufferedImage(40, 40, BufferedImage.TYPE_BYTE_GRAY);
        Random r = new Random(2);
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 40; x++) {
                noise.getRaster().setSample(x, y, 0, r.nextInt(256));
            }
        }
        byte[] file = png(noise);
        assertThatThrownBy(() -> PngDecoder.decode(Arrays.copyOf(file, file.length / 2)))
                .isInstanceOf(IOException.class).hasMessageContaining("truncated");
        byte[] badFilter = file.clone();
        // damaged compressed data is an error too
        int idat = indexOf(badFilter, "IDAT");
        Arrays.fill(badFilter, idat + 6, idat + 20, (byte) 0x55);
        assertThatThrownBy(() -> PngDecoder.decode(badFilter)).isInstanceOf(IOException.class);
    }

    private static int indexOf(byte[] b, String s) {
        byte[] t = s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        outer:
        for (int i = 0; i + t.length <= b.length; i++) {
            for (int k = 0; k < t.length; k++) {
                if (b[i + k] != t[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
