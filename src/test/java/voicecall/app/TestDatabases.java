package voicecall.app;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The real databases integration tests run against, and a client for the running application.
 * MariaDB/MySQL comes from {@code VOICECALL_IT_R2DBC_URL} (+ {@code _USERNAME}, {@code _PASSWORD});
 * without it the tests are skipped, except under CI, where that is a failure, so CI can never pass
 * without having run them.
 */
public final class TestDatabases {

  private static final @Nullable String MARIADB_URL = System.getenv("VOICECALL_IT_R2DBC_URL");

  private TestDatabases() {}

  /** Skips the calling test class when no MariaDB is configured, or fails it under CI. */
  public static void requireMariaDb() {
    if (MARIADB_URL == null || MARIADB_URL.isBlank()) {
      if ("true".equals(System.getenv("CI"))) {
        fail("CI must provide MariaDB: VOICECALL_IT_R2DBC_URL is not set");
      }
      assumeTrue(false, "VOICECALL_IT_R2DBC_URL not set: MariaDB tests skipped (see README)");
    }
  }

  /**
   * Points the application at the configured MariaDB.
   *
   * @param registry the test's dynamic properties
   */
  public static void useMariaDb(DynamicPropertyRegistry registry) {
    registry.add("spring.r2dbc.url", () -> MARIADB_URL);
    registry.add("spring.r2dbc.username", () -> env("VOICECALL_IT_R2DBC_USERNAME"));
    registry.add("spring.r2dbc.password", () -> env("VOICECALL_IT_R2DBC_PASSWORD"));
  }

  /**
   * Points the application's embedded H2 file database at a fresh directory.
   *
   * @param registry the test's dynamic properties
   * @param prefix name prefix of the temporary directory
   */
  public static void useFreshH2(DynamicPropertyRegistry registry, String prefix) {
    Path dir;
    try {
      dir = Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    registry.add("voicecall.data-dir", dir::toString);
  }

  /**
   * A client for the application listening on a local port. Each request gets its own connection.
   * With Reactor Netty's shared connection pool, about one run in six of the knowledge API tests
   * had a request that never reached a handler (the server's access log never saw it, no thread was
   * busy) and waited out the 30 s timeout; on CI that failed the build. With one connection per
   * request, 20 runs in a row passed on the same loaded machine (10 of them on MariaDB too).
   * Kept-alive connection reuse is not what these tests are about.
   *
   * @param port the port
   * @return the client
   */
  public static WebTestClient http(int port) {
    return WebTestClient.bindToServer(
            new ReactorClientHttpConnector(HttpClient.create(ConnectionProvider.newConnection())))
        .baseUrl("http://127.0.0.1:" + port)
        .responseTimeout(Duration.ofSeconds(30))
        .build();
  }

  /**
   * The application's Prometheus scrape.
   *
   * @param http a client for the application
   * @return the scrape text
   */
  public static String prometheus(WebTestClient http) {
    return Objects.requireNonNull(
        http.get()
            .uri("/actuator/prometheus")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody());
  }

  private static String env(String name) {
    String value = System.getenv(name);
    return value == null ? "" : value;
  }
}
