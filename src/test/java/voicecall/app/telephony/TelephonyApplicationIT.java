package voicecall.app.telephony;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.scheduler.Schedulers;
import voicecall.app.TestDatabases;
import voicecall.app.telephony.audiosocket.AudioSocketServer;
import voicecall.app.telephony.client.AudioSocketCaller;
import voicecall.app.telephony.client.Pcm;
import voicecall.app.telephony.client.ReceivedMessage;

/** The whole application: a call over a real socket reaches the wired pipeline and its meters. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class TelephonyApplicationIT {

  private static final Path DATA_DIR = tempDir();

  @DynamicPropertySource
  static void h2(DynamicPropertyRegistry registry) {
    registry.add("voicecall.data-dir", DATA_DIR::toString);
    // this test checks the chime; the spoken conversation has its own test
    registry.add("voicecall.conversation.enabled", () -> "false");
  }

  @LocalServerPort int httpPort;
  @Autowired AudioSocketServer audioSocket;
  @Autowired CallRegistry registry;
  @Autowired MeterRegistry meters;

  @Test
  void aCallIsAnsweredWithTheGreetingAndShowsInTheMetrics(CapturedOutput output) {
    UUID id = UUID.randomUUID();
    AudioSocketCaller caller =
        Objects.requireNonNull(
            AudioSocketCaller.dial(
                    audioSocket.address(), id, Pcm.silence(8000, 20), true, Schedulers.parallel())
                .block(Duration.ofSeconds(10)));
    await().atMost(Duration.ofSeconds(10)).until(() -> caller.audio().size() >= 60);
    List<ReceivedMessage> audio = caller.audio();
    int chime = GreetingChime.start(audio, meters);
    assertThat(GreetingChime.audibleRun(audio, chime)).as("then silence").isLessThanOrEqualTo(30);
    assertThat(registry.size()).isEqualTo(1);

    String scrape = TestDatabases.prometheus(TestDatabases.http(httpPort));
    assertThat(scrape)
        .contains("voicecall_calls_active")
        .contains("voicecall_audio_frames_in_total")
        .contains("voicecall_audio_frames_out_total{")
        .contains("voicecall_frameclock_jitter_seconds_bucket{")
        .contains("voicecall_frameclock_jitter_seconds_count{");
    caller.hangUp().block(Duration.ofSeconds(10));
    await().atMost(Duration.ofSeconds(10)).until(() -> registry.size() == 0);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> output.getOut().contains("call ended: CALLER"));
    // every line about this call carries its id, on whichever thread it was written
    for (String event :
        new String[] {"AudioSocket call from", "call connected at 8000 Hz", "call ended: CALLER"}) {
      assertThat(output.getOut().lines().filter(l -> l.contains(event)))
          .as(event)
          .singleElement()
          .asString()
          .contains("callId=" + id);
    }
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("voicecall-telephony-it");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
