package voicecall.app;

import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The application on a real MariaDB/MySQL server through R2DBC MySQL. {@code .ci/run} starts
 * MariaDB and sets {@code VOICECALL_IT_R2DBC_URL} (+ {@code _USERNAME}, {@code _PASSWORD}); see
 * {@link TestDatabases} for what happens without them.
 */
class MariaDbApplicationIT extends ApplicationContractIT {

  @BeforeAll
  static void requireServer() {
    TestDatabases.requireMariaDb();
  }

  @DynamicPropertySource
  static void mariaDb(DynamicPropertyRegistry registry) {
    TestDatabases.useMariaDb(registry);
  }

  @Override
  String expectedDatabaseProduct() {
    return "MySQL";
  }
}
