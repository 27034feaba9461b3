package voicecall.app;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The application on its embedded default: an H2 file database, no server needed. */
class EmbeddedH2ApplicationIT extends ApplicationContractIT {

  @DynamicPropertySource
  static void h2(DynamicPropertyRegistry registry) {
    TestDatabases.useFreshH2(registry, "voicecall-h2-it");
  }

  @Override
  String expectedDatabaseProduct() {
    return "H2";
  }
}
