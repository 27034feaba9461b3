package voicecall.app.knowledge;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The knowledge API on a real MariaDB/MySQL server ({@code VOICECALL_IT_R2DBC_URL} etc., as for
 * {@code MariaDbApplicationIT}); skipped without a server, except under CI where that fails.
 */
class KnowledgeApiMariaDbIT extends KnowledgeApiContractIT {

  private static final @Nullable String URL = System.getenv("VOICECALL_IT_R2DBC_URL");

  @BeforeAll
  static void requireServer() {
    if (URL == null || URL.isBlank()) {
      if ("true".equals(System.getenv("CI"))) {
        fail("CI must provide MariaDB: VOICECALL_IT_R2DBC_URL is not set");
      }
      assumeTrue(false, "VOICECALL_IT_R2DBC_URL not set: MariaDB tests skipped (see README)");
    }
  }

  @DynamicPropertySource
  static void mariaDb(DynamicPropertyRegistry registry) {
    registry.add("spring.r2dbc.url", () -> URL);
    registry.add("spring.r2dbc.username", () -> env("VOICECALL_IT_R2DBC_USERNAME"));
    registry.add("spring.r2dbc.password", () -> env("VOICECALL_IT_R2DBC_PASSWORD"));
  }

  private static String env(String name) {
    String value = System.getenv(name);
    return value == null ? "" : value;
  }
}
