package io.otprune.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFileTest {
    @TempDir
    Path tmp;

    private static IdxFile sample() {
        byte[] data = new byte[3 * 2 * 4];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7);
        }
        return new IdxFile(new int[] {3, 2, 4}, data);
    }

    @Test
    void roundTripsRawAndGzip() throws Exception {
        IdxFile f = sample();
        Path raw = tmp.resolve("a-idx3-ubyte");
        Files.write(raw, f.toBytes());
        Path gz = tmp.resolve("a-idx3-ubyte.gz");
        f.writeGzip(gz);
        for (Path p : new Path[] {raw, gz}) {
            IdxFile r = IdxFile.read(p);
            assertThat(r.dims()).containsExactly(3, 2, 4);
            assertThat(r.data()).isEqualTo(f.data());
            assertThat(r.itemSize()).isEqualTo(8);
        }
    }

    @Test
    void gzipOutputIsDeterministic() throws Exception {
        Path a = tmp.resolve("a.gz");
        Path b = tmp.resolve("b.gz");
        sample().writeGzip(a);
        sample().writeGzip(b);
        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
    }

    @Test
    void truncatedDataNamesFileAndProblem() throws Exception {
        byte[] bytes = sample().toBytes();
        Path p = tmp.resolve("trunc-idx3-ubyte");
        Files.write(p, Arrays.copyOf(bytes, bytes.length - 5));
        assertThatThrownBy(() -> IdxFile.read(p)).isInstanceOf(IdxFormatException.class)
                .hasMessageContaining(p.toString()).hasMessageContaining("truncated")
                .hasMessageContaining("need 24 data bytes but the file has 19");
    }

    @Test
    void trailingBytesAreRejected() throws Exception {
        byte[] bytes = sample().toBytes();
        Path p = tmp.resolve("long");
        Files.write(p, Arrays.copyOf(bytes, bytes.length + 3));
        assertThatThrownBy(() -> IdxFile.read(p)).hasMessageContaining("trailing bytes");
    }

    @Test
    void badMagicIsRejected() throws Exception {
        byte[] bytes = sample().toBytes();
        bytes[0] = 0x50;
        Path p = tmp.resolve("magic");
        Files.write(p, bytes);
        assertThatThrownBy(() -> IdxFile.read(p)).hasMessageContaining("bad magic number");
    }

    @Test
    void unsupportedElementTypeIsRejected() throws Exception {
        byte[] bytes = sample().toBytes();
        bytes[2] = 0x0D; // float
        Path p = tmp.resolve("float");
        Files.write(p, bytes);
        assertThatThrownBy(() -> IdxFile.read(p)).hasMessageContaining("unsupported element type 0x0d");
    }

    @Test
    void badDimensionsAreRejected() throws Exception {
        byte[] bytes = sample().toBytes();
        bytes[3] = 9;
        Path p = tmp.resolve("ndim");
        Files.write(p, bytes);
        assertThatThrownBy(() -> IdxFile.read(p)).hasMessageContaining("number of dimensions 9");
        byte[] zero = sample().toBytes();
        zero[4] = 0; zero[5] = 0; zero[6] = 0; zero[7] = 0; // first dimension 0
        Files.write(p, zero);
        assertThatThrownBy(() -> IdxFile.read(p)).hasMessageContaining("dimension 0 is 0");
    }

    @Test
    void truncatedHeaderAndTinyFiles() throws Exception {
        Path p = tmp.resolve("tiny");
        Files.write(p, new byte[] {0, 0});
        assertThatThrownBy(() -> IdxFile.read(p)).hasMessageContaining("too short");
        Files.write(p, new byte[] {0, 0, 8, 3, 0, 0, 0, 1});
        assertThatThrownBy(() -> IdxFile.read(p)).hasMessageContaining("header truncated");
    }

    @Test
    void corruptAndTruncatedGzipAreRejected() throws Exception {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(sample().toBytes());
        }
        byte[] good = bos.toByteArray();
        Path p = tmp.resolve("x.gz");
        Files.write(p, Arrays.copyOf(good, good.length / 2));
        assertThatThrownBy(() -> IdxFile.read(p)).hasMessageContaining(p.toString())
                .hasMessageContaining("gzip stream is truncated");
        byte[] bad = good.clone();
        for (int i = 12; i < 20; i++) {
            bad[i] ^= (byte) 0xA5;
        }
        Files.write(p, bad);
        assertThatThrownBy(() -> IdxFile.read(p)).isInstanceOf(IdxFormatException.class)
                .hasMessageContaining(p.toString());
    }

    @Test
    void missingFile() {
        Path p = tmp.resolve("nope");
        assertThatThrownBy(() -> IdxFile.read(p)).hasMessageContaining("file not found");
    }
}
