import io.otprune.data.*;
import java.util.*;
public class SameImagesCheck {
  public static void main(String[] a) throws Exception {
    Map<String,Integer> m = new HashMap<>();
    for (String id : new String[]{"fashion-mnist", "/tmp/fm-png"}) {
      Dataset d = Datasets.load(id, DataOptions.DEFAULTS, ReaderControl.NONE);
      LabelledImages t = d.trainImages();
      System.out.println(id + " " + t.getClass() + " count " + t.count() + " shape " + t.shape());
      byte[] img = new byte[t.shape().bytes()];
      int sign = id.startsWith("/") ? -1 : 1;
      for (int i = 0; i < t.count(); i++) {
        t.read(i, img, 0);
        String k = Arrays.hashCode(img) + ":" + t.label(i);
        m.merge(k, sign, Integer::sum);
      }
    }
    long bad = m.values().stream().filter(v -> v != 0).count();
    System.out.println("unmatched keys " + bad + " of " + m.size());
  }
}
