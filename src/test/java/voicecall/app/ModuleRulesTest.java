package voicecall.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the module table of ARCHITECTURE.md true. Maven's dependency graph already stops a module
 * from compiling against a library it does not declare; these rules also catch what compiles
 * anyway: JDBC from the JDK in the plain libraries, a library picking up Spring or Netty through a
 * transitive dependency, and package cycles inside a module.
 */
class ModuleRulesTest {

  private static final String[] WEB_AND_DB = {
    "org.springframework..",
    "io.netty..",
    "reactor.netty..",
    "io.r2dbc..",
    "java.sql..",
    "javax.sql.."
  };

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("voicecall");
  }

  @Test
  void ragUsesNoFrameworkNoDatabaseAndNoOtherModule() {
    check(
        noClasses()
            .that()
            .resideInAPackage("voicecall.rag..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(WEB_AND_DB)
            .orShould()
            .dependOnClassesThat()
            .resideInAnyPackage("voicecall.tts..", "voicecall.engine..", "voicecall.app.."));
  }

  @Test
  void ttsUsesNoFrameworkNoDatabaseAndNoOtherModule() {
    check(
        noClasses()
            .that()
            .resideInAPackage("voicecall.tts..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(WEB_AND_DB)
            .orShould()
            .dependOnClassesThat()
            .resideInAnyPackage("voicecall.rag..", "voicecall.engine..", "voicecall.app.."));
  }

  @Test
  void engineUsesNoFrameworkNoDatabaseAndNotTheApplication() {
    check(
        noClasses()
            .that()
            .resideInAPackage("voicecall.engine..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(WEB_AND_DB)
            .orShould()
            .dependOnClassesThat()
            .resideInAnyPackage("voicecall.app.."));
  }

  @Test
  void packagesHaveNoCycles() {
    check(slices().matching("voicecall.(**)").should().beFreeOfCycles());
  }

  private static void check(ArchRule rule) {
    rule.check(classes);
  }
}
