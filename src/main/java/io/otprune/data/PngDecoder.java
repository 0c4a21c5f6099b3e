package io.otprune.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decodes the PNG files an image folder usually holds (8 bits per sample, not interlaced; grey, grey+alpha, RGB or
 * RGBA; no colour profile or transparency chunk) straight from their bytes, to the same pixels ImageIO gives. Why:
 * a streamed folder is decoded again every epoch on the loader thread, and ImageIO's per-file reader lookup and
 * stream set-up cost more than the decoding itself (about 0.5 ms a 28x28 image here, where training lenet5 takes
 * 0.2 ms a sample; docs/benchmarks.md §8). Anything else is left to ImageIO ({@link #decode} returns null).
 */
final class PngDecoder {
    private static final byte[] SIGNATURE = {(byte) 137, 80, 78, 71, 13, 10, 26, 10};

    private PngDecoder() {}

    /** True when the bytes start with PNG's signature. */
    static boolean isPng(byte[] b) {
        if (b.length < SIGNATURE.length) {
            return false;
        }
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (b[i] != SIGNATURE[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The image's shape and CHW pixels (grey+alpha and RGBA lose their alpha, as ImageIO's colours are read here),
     * or null when the file is not a PNG this decoder handles.
     *
     * @throws IOException when the file is a PNG of a handled kind but truncated or damaged
     */
    static Decoded decode(byte[] b) throws IOException {
        ImageShape shape = shape(b);
        if (shape == null) {
            return null;
        }
        int width = shape.width(), height = shape.height();
        int samples = samples(b[25]);
        Inflater inflater = new Inflater();
        int stride = width * samples;
        byte[] raw = new byte[(stride + 1) * height];
        int produced = 0;
        try {
            int pos = 8;
            boolean seenData = false;
            while (pos + 8 <= b.length) {
                int length = readInt(b, pos);
                String type = type(b, pos + 4);
                int start = pos + 8;
                if (length < 0) {
                    throw new IOException("damaged: a chunk of length " + (length & 0xffffffffL));
                }
                if (type.equals("IDAT")) {
                    seenData = true;
                    int available = Math.max(0, Math.min(length, b.length - start));
                    inflater.setInput(b, start, available);
                    produced += inflate(inflater, raw, produced);
                    if (available < length) {
                        break; // the file ends inside the data
                    }
                } else if (seenData || type.equals("IEND")) {
                    break;
                }
                pos = start + length + 4;
            }
            if (produced < raw.length) {
                throw new IOException("truncated or damaged: image data ends after " + produced + " of " + raw.length
                        + " bytes");
            }
        } catch (DataFormatException e) {
            throw new IOException("truncated or damaged: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
        unfilter(raw, height, stride, samples);
        int channels = shape.channels();
        int plane = width * height;
        byte[] chw = new byte[channels * plane];
        for (int y = 0; y < height; y++) {
            int row = y * (stride + 1) + 1;
            for (int x = 0; x < width; x++) {
                int p = y * width + x, s = row + x * samples;
                for (int c = 0; c < channels; c++) {
                    chw[c * plane + p] = raw[s + c];
                }
            }
        }
        return new Decoded(new ImageShape(channels, height, width), chw);
    }

    /**
     * The shape ImageIO would give the image (grey+alpha is grey, RGBA is RGB), from the header chunk, or null when
     * the file is not a PNG this decoder handles (the chunks before the image data are looked at for a colour
     * profile or transparency, which must come before it).
     */
    static ImageShape shape(byte[] b) {
        if (!isPng(b) || b.length < 33 || !type(b, 12).equals("IHDR")) {
            return null;
        }
        int width = readInt(b, 16), height = readInt(b, 20);
        int depth = b[24], samples = samples(b[25]), interlace = b[28];
        if (depth != 8 || interlace != 0 || samples == 0 || width <= 0 || height <= 0
                || (long) width * height * samples > Integer.MAX_VALUE / 2) {
            return null;
        }
        for (int pos = 8; pos + 8 <= b.length; ) {
            int length = readInt(b, pos);
            String type = type(b, pos + 4);
            if (type.equals("iCCP") || type.equals("tRNS")) {
                return null; // colour profiles and transparency change what ImageIO returns: leave them to it
            }
            if (type.equals("IDAT") || length < 0) {
                break;
            }
            pos += 12 + length;
        }
        return new ImageShape(samples <= 2 ? 1 : 3, height, width);
    }

    /** Samples per pixel of a PNG colour type this decoder handles, else 0 (palette images: ImageIO). */
    private static int samples(byte colour) {
        return switch (colour) {
            case 0 -> 1; // grey
            case 2 -> 3; // RGB
            case 4 -> 2; // grey + alpha
            case 6 -> 4; // RGBA
            default -> 0;
        };
    }

    /** An image's shape and its pixels, channel planes one after the other. */
    record Decoded(ImageShape shape, byte[] pixels) {}

    private static int inflate(Inflater inflater, byte[] out, int at) throws DataFormatException {
        int n = 0;
        while (at + n < out.length && !inflater.finished()) {
            int k = inflater.inflate(out, at + n, out.length - at - n);
            if (k == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                break;
            }
            n += k;
        }
        return n;
    }

    /** Undoes PNG's per-row filters in place (filter byte first in each row; bpp = bytes per pixel). */
    private static void unfilter(byte[] raw, int height, int stride, int bpp) throws IOException {
        for (int y = 0; y < height; y++) {
            int row = y * (stride + 1);
            int filter = raw[row];
            int cur = row + 1, prev = row - stride; // prev < 1 on the first row: treated as zeros
            for (int i = 0; i < stride; i++) {
                int a = i >= bpp ? raw[cur + i - bpp] & 0xff : 0;
                int up = y > 0 ? raw[prev + i] & 0xff : 0;
                int c = y > 0 && i >= bpp ? raw[prev + i - bpp] & 0xff : 0;
                int x = raw[cur + i] & 0xff;
                int v = switch (filter) {
                    case 0 -> x;
                    case 1 -> x + a;
                    case 2 -> x + up;
                    case 3 -> x + ((a + up) >>> 1);
                    case 4 -> x + paeth(a, up, c);
                    default -> throw new IOException("damaged: row " + y + " has filter type " + filter);
                };
                raw[cur + i] = (byte) v;
            }
        }
    }

    private static int paeth(int a, int b, int c) {
        int p = a + b - c;
        int pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    private static String type(byte[] b, int at) {
        return new String(b, at, 4, StandardCharsets.ISO_8859_1);
    }
}
