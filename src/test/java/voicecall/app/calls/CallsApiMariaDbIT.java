package voicecall.app.calls;

import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import voicecall.app.TestDatabases;

/** The call records API on a real MariaDB/MySQL server (see {@link TestDatabases}). */
class CallsApiMariaDbIT extends CallsApiContractIT {

  @BeforeAll
  static void requireServer() {
    TestDatabases.requireMariaDb();
  }

  @DynamicPropertySource
  static void mariaDb(DynamicPropertyRegistry registry) {
    TestDatabases.useMariaDb(registry);
  }
}
