package voicecall.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The application on its embedded default: an H2 file database, no server needed. */
class EmbeddedH2ApplicationIT extends ApplicationContractIT {

  private static final Path DATA_DIR = tempDir();

  @DynamicPropertySource
  static void h2(DynamicPropertyRegistry registry) {
    registry.add("voicecall.data-dir", DATA_DIR::toString);
  }

  @Override
  String expectedDatabaseProduct() {
    return "H2";
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("voicecall-h2-it");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
