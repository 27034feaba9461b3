package voicecall.app.knowledge;

import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import voicecall.app.TestDatabases;

/** The knowledge API on a real MariaDB/MySQL server (see {@link TestDatabases}). */
class KnowledgeApiMariaDbIT extends KnowledgeApiContractIT {

  @BeforeAll
  static void requireServer() {
    TestDatabases.requireMariaDb();
  }

  @DynamicPropertySource
  static void mariaDb(DynamicPropertyRegistry registry) {
    TestDatabases.useMariaDb(registry);
  }
}
