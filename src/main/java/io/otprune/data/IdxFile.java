package io.otprune.data;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Reader and writer for IDX files (the MNIST file format), raw or gzip-compressed.
 *
 * <p>Only unsigned-byte data (type 0x08) is supported: it is what every MNIST-style data set uses, and a
 * reader that silently accepted other types would hand float bits to code expecting pixels.
 */
public final class IdxFile {
    /** Element type code of unsigned bytes. */
    public static final int TYPE_UBYTE = 0x08;

    private final int[] dims;
    private final byte[] data;

    public IdxFile(int[] dims, byte[] data) {
        long expected = 1;
        for (int d : dims) {
            expected *= d;
        }
        if (expected != data.length) {
            throw new IllegalArgumentException(
                    "IDX data has " + data.length + " bytes but dimensions " + Arrays.toString(dims) + " need " + expected);
        }
        this.dims = dims.clone();
        this.data = data;
    }

    public int[] dims() {
        return dims.clone();
    }

    public int count() {
        return dims[0];
    }

    /** Elements per item (e.g. 784 for 28x28 images, 1 for labels). */
    public int itemSize() {
        int s = 1;
        for (int i = 1; i < dims.length; i++) {
            s *= dims[i];
        }
        return s;
    }

    /** The raw unsigned bytes, row-major. Not copied: callers must not modify it. */
    public byte[] data() {
        return data;
    }

    /** Reads an IDX file, gzip-compressed or not (detected from the content, not the name). */
    public static IdxFile read(Path file) throws IdxFormatException, IOException {
        if (!Files.isRegularFile(file)) {
            throw new IdxFormatException(file, "file not found");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readAllBytes();
        }
        return decode(file.toString(), bytes);
    }

    /** Decodes IDX bytes, gzip-compressed or not; {@code source} names the file in error messages. */
    public static IdxFile decode(String source, byte[] bytes) throws IdxFormatException, IOException {
        if (bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
            try (InputStream gz = new GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
                bytes = gz.readAllBytes();
            } catch (java.io.EOFException e) {
                throw new IdxFormatException(source, "gzip stream is truncated");
            } catch (java.util.zip.ZipException e) {
                throw new IdxFormatException(source, "corrupt gzip stream (" + e.getMessage() + ")");
            }
        }
        return parse(source, bytes);
    }

    static IdxFile parse(String file, byte[] bytes) throws IdxFormatException {
        if (bytes.length < 4) {
            throw new IdxFormatException(file, "too short for an IDX header (" + bytes.length + " bytes)");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes); // big-endian by default, as IDX is
        if (bytes[0] != 0 || bytes[1] != 0) {
            throw new IdxFormatException(file, String.format(
                    "bad magic number 0x%02x%02x%02x%02x (an IDX file starts with two zero bytes)",
                    bytes[0], bytes[1], bytes[2], bytes[3]));
        }
        int type = bytes[2] & 0xff;
        int ndim = bytes[3] & 0xff;
        if (type != TYPE_UBYTE) {
            throw new IdxFormatException(file, String.format(
                    "unsupported element type 0x%02x (only unsigned bytes, 0x08, are supported)", type));
        }
        if (ndim < 1 || ndim > 4) {
            throw new IdxFormatException(file, "unsupported number of dimensions " + ndim + " (expected 1 to 4)");
        }
        if (bytes.length < 4 + 4 * ndim) {
            throw new IdxFormatException(file, "header truncated: " + ndim + " dimensions announced, file has "
                    + bytes.length + " bytes");
        }
        buf.position(4);
        int[] dims = new int[ndim];
        long expected = 1;
        for (int i = 0; i < ndim; i++) {
            dims[i] = buf.getInt();
            if (dims[i] <= 0) {
                throw new IdxFormatException(file, "dimension " + i + " is " + dims[i] + " (must be positive)");
            }
            expected *= dims[i];
        }
        long actual = bytes.length - 4L - 4L * ndim;
        if (actual != expected) {
            throw new IdxFormatException(file, String.format(
                    "length mismatch: dimensions %s need %d data bytes but the file has %d (%s)",
                    Arrays.toString(dims), expected, actual, actual < expected ? "truncated" : "trailing bytes"));
        }
        byte[] data = Arrays.copyOfRange(bytes, 4 + 4 * ndim, bytes.length);
        return new IdxFile(dims, data);
    }

    /** Serialises to IDX bytes (uncompressed). */
    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 16);
        try (DataOutputStream dos = new DataOutputStream(out)) {
            dos.writeByte(0);
            dos.writeByte(0);
            dos.writeByte(TYPE_UBYTE);
            dos.writeByte(dims.length);
            for (int d : dims) {
                dos.writeInt(d);
            }
            dos.write(data);
        } catch (IOException e) {
            throw new IllegalStateException(e); // cannot happen for a byte array
        }
        return out.toByteArray();
    }

    /**
     * Writes the file gzip-compressed (level 9, fixed header time so output is byte-for-byte deterministic),
     * through a temporary file that is moved into place: an existing file is never half-overwritten.
     */
    public void writeGzip(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp));
                    GZIPOutputStream gz = new GZIPOutputStream(os) {
                        {
                            def.setLevel(java.util.zip.Deflater.BEST_COMPRESSION);
                        }
                    }) {
                gz.write(toBytes());
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
