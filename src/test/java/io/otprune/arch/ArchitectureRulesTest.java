package io.otprune.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The core never depends on JavaFX: only io.otprune.ui may (docs/design.md §2). */
class ArchitectureRulesTest {
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.otprune");

    @Test
    void nothingOutsideUiImportsJavafx() {
        noClasses().that().resideOutsideOfPackage("io.otprune.ui..")
                .should().dependOnClassesThat().resideInAPackage("javafx..")
                .because("the core, the CLI and the tests of the core must run without a toolkit")
                .allowEmptyShould(false).check(classes);
    }
}
