import java.nio.file.*; import java.util.*; import javax.imageio.*; import javax.imageio.stream.*; import java.awt.image.*;
public class DecodeVariantsBench {
    public static void main(String[] a) throws Exception {
        List<Path> files = new ArrayList<>();
        try (var s = Files.walk(Path.of(a[0]))) { s.filter(p -> p.toString().endsWith(".png")).limit(5000).forEach(files::add); }
        for (int rep = 0; rep < 2; rep++) {
            long t = System.nanoTime(); long sum = 0;
            for (Path f : files) sum += Files.readAllBytes(f).length;
            report("readAllBytes", t, files.size());
            t = System.nanoTime();
            for (Path f : files) { try (ImageInputStream in = ImageIO.createImageInputStream(f.toFile())) { Iterator<ImageReader> it = ImageIO.getImageReaders(in); ImageReader r = it.next(); r.setInput(in, true, true); r.read(0); r.dispose(); } }
            report("as now: stream+lookup+read", t, files.size());
            ImageReader png = ImageIO.getImageReadersByFormatName("png").next();
            t = System.nanoTime();
            for (Path f : files) { try (ImageInputStream in = new FileImageInputStream(f.toFile())) { png.setInput(in, true, true); png.read(0); } }
            report("reused reader, FileImageInputStream", t, files.size());
            t = System.nanoTime();
            for (Path f : files) { try (ImageInputStream in = new MemoryCacheImageInputStream(new java.io.ByteArrayInputStream(Files.readAllBytes(f)))) { png.setInput(in, true, true); png.read(0); } }
            report("reused reader, bytes in memory", t, files.size());
            t = System.nanoTime();
            for (Path f : files) { try (ImageInputStream in = ImageIO.createImageInputStream(f.toFile())) { Iterator<ImageReader> it = ImageIO.getImageReaders(in); it.next(); } }
            report("stream+lookup only", t, files.size());
        }
    }
    static void report(String what, long t, int n) { double s = (System.nanoTime() - t) / 1e9; System.out.printf("%-40s %.1f us/image%n", what, s / n * 1e6); }
}
