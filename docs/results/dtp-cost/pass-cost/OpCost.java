import ai.djl.ndarray.*;
import ai.djl.ndarray.types.*;
public class OpCost {
  public static void main(String[] a) {
    try (NDManager m = NDManager.newBaseManager()) {
      for (int n : (a.length > 0 ? java.util.Arrays.stream(a).mapToInt(Integer::parseInt).toArray() : new int[]{1000, 30000, 235200, 266200})) {
        NDArray x = m.randomUniform(0, 1, new Shape(n));
        NDArray y = m.randomUniform(0, 1, new Shape(n));
        for (int rep = 0; rep < 3; rep++) {
          int it = 4000;
          long t0 = System.nanoTime();
          for (int i = 0; i < it; i++) { try (NDManager s = m.newSubManager()) { NDArray z = x.add(y); z.attach(s);} }
          long t1 = System.nanoTime();
          for (int i = 0; i < it; i++) { x.addi(y); x.subi(y); }
          long t2 = System.nanoTime();
          for (int i = 0; i < it; i++) { try (NDManager s = m.newSubManager()) { NDArray z = x.sum(); z.attach(s);} }
          long t3 = System.nanoTime();
          for (int i = 0; i < it; i++) { try (NDManager s = m.newSubManager()) { NDArray z = ai.djl.nn.Activation.sigmoid(x); z.attach(s);} }
          long t4 = System.nanoTime();
          for (int i = 0; i < it; i++) { float[] f = x.toFloatArray(); }
          long t5 = System.nanoTime();
          System.out.printf("n=%d add %.1f us, addi %.1f us, sum %.1f us, sigmoid %.1f us, toFloatArray %.1f us%n", n,
            (t1-t0)/1e3/it, (t2-t1)/2e3/it, (t3-t2)/1e3/it, (t4-t3)/1e3/it, (t5-t4)/1e3/it);
        }
      }
    }
  }
}
