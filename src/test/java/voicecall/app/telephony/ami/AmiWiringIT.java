package voicecall.app.telephony.ami;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import voicecall.app.telephony.Transfers;
import voicecall.engine.call.TransferRequest;

/**
 * With {@code voicecall.ami.*} set the application wires the AMI redirect into the transfers, and a
 * plain AudioSocket call's transfer reaches the (fake) manager interface with the configured user.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.NONE,
    properties = {
      "voicecall.conversation.enabled=false",
      "voicecall.ami.host=127.0.0.1",
      "voicecall.ami.username=voicecall",
      "voicecall.ami.secret=change-me"
    })
class AmiWiringIT {

  private static final Path DATA_DIR = tempDir();
  private static final FakeAmi AMI = fakeAmi();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("voicecall.data-dir", DATA_DIR::toString);
    registry.add("voicecall.ami.port", AMI::port);
  }

  @AfterAll
  static void stop() {
    AMI.close();
  }

  @Autowired Transfers transfers;
  @Autowired MeterRegistry meters;

  @Test
  void aPlainCallsTransferGoesThroughTheConfiguredAmi() {
    AMI.redirectMayAnswer.countDown();
    String id = UUID.randomUUID().toString();
    AMI.globals.put(AmiRedirect.channelVariable(id), "PJSIP/softphone-00000001");
    transfers
        .movePlainCall(
            new TransferRequest(id, "opening hours", null, TransferRequest.Reason.NOT_UNDERSTOOD))
        .block(Duration.ofSeconds(10));
    assertThat(AMI.actions)
        .extracting(a -> a.get("action"))
        .containsExactly("GetVar", "SetVar", "SetVar", "SetVar", "Redirect");
    assertThat(meters.counter("voicecall.transfers", "adapter", "ami", "result", "done").count())
        .isEqualTo(1);
  }

  private static FakeAmi fakeAmi() {
    try {
      return new FakeAmi("voicecall", "change-me");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("voicecall-ami-wiring-it");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
