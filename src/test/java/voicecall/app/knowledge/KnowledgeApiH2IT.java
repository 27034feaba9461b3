package voicecall.app.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The knowledge API on the embedded H2 file database, fresh for this class. */
class KnowledgeApiH2IT extends KnowledgeApiContractIT {

  private static final Path DATA_DIR = tempDir();

  @DynamicPropertySource
  static void h2(DynamicPropertyRegistry registry) {
    registry.add("voicecall.data-dir", DATA_DIR::toString);
  }

  @Test
  void aFreshDatabaseStartsWithTheSampleFaqAsVersionOne() {
    http.get()
        .uri("/api/v1/knowledge/versions")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$[?(@.version == 1)].source")
        .isEqualTo("sample");
    assertThat(index.current().entries()).isNotEmpty();
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("voicecall-knowledge-it");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
