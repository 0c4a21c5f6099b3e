package io.otprune.ui;

import javafx.application.Application;

/**
 * Entry point of the desktop workbench. It does not extend {@link Application} so that it also starts from a plain
 * jar or an installer's launcher, where JavaFX is on the class path (PITFALLS 10).
 */
public final class Workbench {
    private Workbench() {}

    public static void main(String[] args) {
        Application.launch(WorkbenchApp.class, args);
    }
}
