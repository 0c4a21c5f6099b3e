import ai.djl.ndarray.*;
import ai.djl.ndarray.types.*;
/**
 * One Adam update of n scores (default 235,200, the mlp-300-100's first layer) with a given gradient: DJL's native
 * adamUpdate against the same arithmetic in DJL operations (docs/results/dtp-cost/mlp-step-timers-intel/README.md).
 * Usage: java AdamCost [n]
 */
public class AdamCost {
  static final float B1 = 0.9f, B2 = 0.999f, EPS = 1e-8f;
  public static void main(String[] a) {
    int n = a.length > 0 ? Integer.parseInt(a[0]) : 235200;
    int it = 1500;
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.randomNormal(new Shape(n));
      for (int variant = 0; variant < 3; variant++) for (int rep = 0; rep < 3; rep++) {
        NDArray w = m.randomUniform(0, 1, new Shape(n)); w.setRequiresGradient(true);
        NDArray mo = w.zerosLike(), v = w.zerosLike();
        long upd = 0;
        for (int i = 1; i <= it; i++) {
          try (NDManager s = m.newSubManager()) {
            NDArray g = x.duplicate(); // the gradient, given: this step's own array, as DtpEngine's are
            g.attach(s);
            double c1 = 1 - Math.pow(B1, i), c2 = 1 - Math.pow(B2, i);
            float lrc = (float) (0.05 * Math.sqrt(c2) / c1);
            long t0 = System.nanoTime();
            if (variant == 0) {
              w.getNDArrayInternal().adamUpdate(new NDList(w, g, mo, v), new NDList(w), 0.05f, lrc, 0f, 1f, -1f, B1, B2, EPS, true, false);
            } else if (variant == 1) {
              NDArray g2 = g.square(); g2.attach(s);
              v.muli(B2).addi(g2.muli(1 - B2));
              mo.muli(B1).addi(g.muli(1 - B1));
              NDArray d = v.sqrt(); d.attach(s);
              NDArray u = mo.div(d.addi(EPS)); u.attach(s);
              w.subi(u.muli(lrc));
              g.muli(0f);
            } else {
              NDArray g2 = g.square(); g2.attach(s);
              v.muli(B2).addi(g2.muli(1 - B2));
              mo.muli(B1).addi(g.muli(1 - B1));
              NDArray d = v.sqrt(); d.attach(s);
              d.addi(EPS).powi(-1).muli(mo).muli(lrc);
              w.subi(d);
              g.muli(0f); // as adamUpdate's zeroGrad: the gradient starts at zero for the next backward
            }
            upd += System.nanoTime() - t0;
          }
        }
        System.out.printf("n=%d %s: %.1f us/update, w sum %.6f%n", n, variant == 0 ? "native adamUpdate" : variant == 1 ? "DJL ops, div" : "DJL ops, reciprocal", upd / 1e3 / it, w.sum().getFloat());
      }
    }
  }
}
