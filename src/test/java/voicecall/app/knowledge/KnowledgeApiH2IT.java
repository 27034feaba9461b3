package voicecall.app.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import voicecall.app.TestDatabases;

/** The knowledge API on the embedded H2 file database, fresh for this class. */
class KnowledgeApiH2IT extends KnowledgeApiContractIT {

  @DynamicPropertySource
  static void h2(DynamicPropertyRegistry registry) {
    TestDatabases.useFreshH2(registry, "voicecall-knowledge-it");
  }

  @Test
  void aFreshDatabaseStartsWithTheSampleFaqAsVersionOne() {
    assertThat(versions())
        .anySatisfy(
            v -> assertThat(v).containsEntry("version", 1).containsEntry("source", "sample"));
    assertThat(index.current().entries()).isNotEmpty();
  }
}
