package voicecall.app.telephony;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import voicecall.app.telephony.ari.AriClient;

/**
 * With {@code voicecall.ari.url} set the application wires and starts the ARI client; an Asterisk
 * that is not there yet does not stop the start (the client keeps reconnecting).
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.NONE,
    properties = {
      "voicecall.ari.url=http://127.0.0.1:9",
      "voicecall.ari.username=voicecall",
      "voicecall.ari.password=secret",
      "voicecall.ari.reconnect-min=50ms",
      "voicecall.ari.reconnect-max=200ms"
    })
class AriWiringIT {

  private static final Path DATA_DIR = tempDir();

  @DynamicPropertySource
  static void h2(DynamicPropertyRegistry registry) {
    registry.add("voicecall.data-dir", DATA_DIR::toString);
  }

  @Autowired AriClient ari;

  @Test
  void theAriClientRunsWhenAUrlIsConfigured() {
    assertThat(ari.isRunning()).isTrue();
    assertThat(ari.connectionCount()).isZero();
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("voicecall-ari-wiring-it");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
