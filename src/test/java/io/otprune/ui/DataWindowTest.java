package io.otprune.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.otprune.data.Datasets;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Data folders in the window: opened, refused in one line, previewed per class (headless, Monocle). */
@ExtendWith(ApplicationExtension.class)
class DataWindowTest {
    static Path tmp;
    static final List<String> CLASSES = IntStream.range(0, 10).mapToObj(c -> "class-" + (char) ('a' + c)).toList();
    WorkbenchApp app;

    @BeforeAll
    static void properties() throws Exception {
        tmp = Files.createTempDirectory("otprune-data-window");
        Path repo = Path.of(System.getProperty("otprune.repo", "."));
        System.setProperty("otprune.samples", repo.resolve("sample-models").toString());
        System.setProperty("otprune.runs", tmp.resolve("runs").toString());
        System.setProperty("otprune.noPrefs", "true");
    }

    @AfterAll
    static void cleanup() throws Exception {
        io.otprune.util.Files2.deleteRecursively(tmp);
    }

    @Start
    void start(Stage stage) {
        app = new WorkbenchApp();
        app.start(stage);
    }

    private WorkbenchViewModel vm() {
        return app.viewModel();
    }

    private void waitFor(int seconds, java.util.concurrent.Callable<Boolean> c) throws Exception {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, c);
    }

    /** ROOT/<class>/NN.png, 28x28 grey, {@code perClass} images per class, each a different flat grey. */
    static Path imageFolder(String name, List<String> classes, int perClass) throws Exception {
        Path root = Files.createDirectories(tmp.resolve(name));
        for (int c = 0; c < classes.size(); c++) {
            Path dir = Files.createDirectories(root.resolve(classes.get(c)));
            for (int i = 0; i < perClass; i++) {
                BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
                byte[] px = new byte[28 * 28];
                java.util.Arrays.fill(px, (byte) (c * 20 + i));
                img.getRaster().setDataElements(0, 0, 28, 28, px);
                ImageIO.write(img, "png", dir.resolve(String.format("%02d.png", i)).toFile());
            }
        }
        return root;
    }

    private void loaded() throws Exception {
        waitFor(60, () -> vm().model.get() != null && vm().dataSamples.get() != null);
    }

    @Test
    void anOpenedFolderIsChosenAndPreviewedPerClass(FxRobot robot) throws Exception {
        loaded();
        // 15 per class, 20% held out for testing: 12 training images each, of which the preview shows 8
        Path folder = imageFolder("ten-classes", CLASSES, 15);
        String id = folder.toAbsolutePath().normalize().toString();
        robot.interact(() -> vm().openDropped(folder)); // no model.json: a data folder
        waitFor(60, () -> id.equals(vm().dataId.get()));
        WaitForAsyncUtils.waitForFxEvents();
        ComboBox<?> picker = robot.lookup("#dataPicker").queryAs(ComboBox.class);
        assertThat(((Datasets.Choice) picker.getValue()).id()).isEqualTo(id);
        assertThat(vm().error.get()).isEmpty();

        robot.clickOn("Data");
        WaitForAsyncUtils.waitForFxEvents();
        DataPreviewPane pane = robot.lookup("#dataPreview").queryAs(DataPreviewPane.class);
        assertThat(pane.shown().id()).isEqualTo(id);
        assertThat(robot.lookup("#dataSummary").queryAs(Label.class).getText()).contains("10 classes")
                .contains("120 train / 30 test");
        List<javafx.scene.layout.HBox> rows = pane.classRows();
        assertThat(rows).hasSize(10);
        for (int c = 0; c < rows.size(); c++) {
            Label name = (Label) rows.get(c).getChildren().get(0);
            assertThat(name.getText()).isEqualTo(CLASSES.get(c));
            List<ImageView> images = rows.get(c).getChildren().stream().filter(n -> n instanceof ImageView)
                    .map(ImageView.class::cast).toList();
            assertThat(images).hasSize(WorkbenchViewModel.SAMPLES_PER_CLASS);
            // the images are the class's own: its flat grey level (c*20 + i) in the red channel
            for (ImageView v : images) {
                int grey = (v.getImage().getPixelReader().getArgb(5, 5) >> 16) & 0xff;
                assertThat(grey).isBetween(c * 20, c * 20 + 14);
            }
        }
        assertThat(robot.lookup(".data-sample").queryAll()).hasSize(10 * WorkbenchViewModel.SAMPLES_PER_CLASS);

        // choosing a named data set again previews that one
        robot.interact(() -> vm().dataId.set(Datasets.MNIST_SMALL));
        waitFor(60, () -> pane.shown() != null && pane.shown().id().equals(Datasets.MNIST_SMALL));
        WaitForAsyncUtils.waitForFxEvents(); // the rows are built on the FX thread
        assertThat(pane.classRows()).extracting(r -> ((Label) r.getChildren().get(0)).getText())
                .containsExactlyElementsOf(Datasets.DIGIT_CLASSES);
    }

    @Test
    void badFoldersAreRefusedInOneLineAndTheWindowStaysUsable(FxRobot robot) throws Exception {
        loaded();
        String before = vm().dataId.get();
        Path oneClass = imageFolder("one-class", List.of("only"), 5);
        Path threeClasses = imageFolder("three-classes", CLASSES.subList(0, 3), 5);
        Path empty = imageFolder("empty-class", CLASSES, 5);
        try (var images = Files.list(empty.resolve(CLASSES.get(4)))) {
            for (Path p : images.toList()) {
                Files.delete(p);
            }
        }
        Path unreadable = imageFolder("unreadable", CLASSES, 5);
        Files.writeString(unreadable.resolve(CLASSES.get(2)).resolve("broken.png"), "not a png");
        List<Object[]> cases = List.of(
                new Object[] {oneClass, "1 class folder"},
                new Object[] {threeClasses, "has 10 classes but data set"},
                new Object[] {empty, "empty class folder"},
                new Object[] {unreadable, "cannot be read"});
        for (Object[] c : cases) {
            Path dir = (Path) c[0];
            robot.interact(() -> vm().openData(dir));
            waitFor(60, () -> vm().error.get().contains((String) c[1]));
            assertThat(vm().error.get()).startsWith("Cannot use data: ").doesNotContain("\n");
            WaitForAsyncUtils.waitForFxEvents();
            // the error dialog is the window's own; dismissed, the window works with the data set it had
            robot.lookup(".dialog-pane .button").queryAll().forEach(b -> robot.interact(() -> ((Button) b).fire()));
            assertThat(vm().dataId.get()).isEqualTo(before);
            assertThat(vm().datasets).noneMatch(ch -> ch.id().contains(dir.getFileName().toString()));
            assertThat(robot.lookup("#start").queryAs(Button.class).isDisabled()).isFalse();
        }
    }
}
