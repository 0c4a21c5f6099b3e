import jdk.incubator.vector.*;
public class VecBench {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static double vsum(float[] a) {
        FloatVector acc = FloatVector.zero(S); int i = 0; int up = S.loopBound(a.length);
        for (; i < up; i += S.length()) acc = acc.add(FloatVector.fromArray(S, a, i));
        double t = acc.reduceLanes(VectorOperators.ADD);
        for (; i < a.length; i++) t += a[i];
        return t;
    }
    static double sum8(float[] a) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        double total = 0; int i = 0;
        for (int block = 0; block < a.length; block += 4096) {
            int end = Math.min(a.length, block + 4096);
            for (; i + 8 <= end; i += 8) {
                s0 += a[i]; s1 += a[i + 1]; s2 += a[i + 2]; s3 += a[i + 3];
                s4 += a[i + 4]; s5 += a[i + 5]; s6 += a[i + 6]; s7 += a[i + 7];
            }
            total += (double) s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7;
            s0 = s1 = s2 = s3 = s4 = s5 = s6 = s7 = 0;
        }
        for (; i < a.length; i++) total += a[i];
        return total;
    }
    public static void main(String[] x) {
        System.out.println("species " + S);
        int n = 266200; float[] a = new float[n]; java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < n; i++) a[i] = r.nextFloat();
        for (int round = 0; round < 5; round++) {
            long t0 = 0, t1 = 0; double r0 = 0, r1 = 0;
            for (int rep = 0; rep < 300; rep++) {
                long a0 = System.nanoTime(); r0 = sum8(a); long a1 = System.nanoTime(); r1 = vsum(a); long a2 = System.nanoTime();
                t0 += a1 - a0; t1 += a2 - a1;
            }
            System.out.printf("sum8 %.1f us  vector %.1f us  (%.6f %.6f)%n", t0 / 300e3, t1 / 300e3, r0, r1);
        }
    }
}
