package voicecall.app.recognition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.scheduler.Schedulers;
import voicecall.app.SpeechTools;
import voicecall.app.conversation.ConversationAnswering;
import voicecall.app.telephony.CallRegistry;
import voicecall.app.telephony.audiosocket.AudioSocketServer;
import voicecall.app.telephony.client.AudioSocketCaller;
import voicecall.app.telephony.client.Pcm;
import voicecall.app.telephony.client.ReceivedMessage;
import voicecall.tts.audio.PcmAudio;

/**
 * A Korean call with a remote recogniser gets the spoken conversation: over a real AudioSocket the
 * caller speaks (flite speech, which the VAD segments), the remote recogniser (a MockWebServer)
 * hears a Korean question with the language hint {@code ko}, and the caller hears the Korean
 * answer. The local English recogniser is off ({@code voicecall.stt.local.enabled=false}), as on a
 * machine without PocketSphinx: the voice activity detector and the Korean conversation must not
 * need it. Needs flite (the caller's voice) and espeak-ng (the Korean reply): skipped without them
 * locally, a failure under {@code CI=true}.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"voicecall.audiosocket.port=0", "voicecall.fastagi.port=0"})
@ExtendWith(OutputCaptureExtension.class)
class KoreanConversationIT {

  private static final int RATE = 8000;
  private static final int LEAD_MILLIS = 9000;
  private static final MockWebServer SERVER = new MockWebServer();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) throws IOException {
    Path data = Files.createTempDirectory("voicecall-korean-it");
    registry.add("voicecall.data-dir", data::toString);
    registry.add("voicecall.audiosocket.language", () -> "ko");
    registry.add("voicecall.stt.local.enabled", () -> "false");
    SERVER.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return new MockResponse()
                .setHeader("Content-Type", "application/json")
                .setBody("{\"text\":\"요금제를 변경하고 싶어요\"}");
          }
        });
    SERVER.start();
    registry.add("voicecall.stt.remote.base-url", () -> SERVER.url("/").toString());
  }

  @AfterAll
  static void stopServer() throws IOException {
    SERVER.shutdown();
  }

  @Autowired AudioSocketServer audioSocket;
  @Autowired CallRegistry registry;
  @Autowired ConversationAnswering answering;
  @Autowired MeterRegistry meters;

  @Test
  void aKoreanQuestionHeardByTheRemoteRecogniserIsAnsweredInKorean(CapturedOutput output)
      throws InterruptedException {
    SpeechTools.assumeFliteAndEspeak();
    await().atMost(Duration.ofSeconds(90)).until(answering::ready);
    assertThat(answering.spoken("ko")).as("Korean through the remote recogniser").isTrue();
    assertThat(output.getOut())
        .contains("local English recogniser off (voicecall.stt.local.enabled=false)")
        .contains("spoken conversation ready: English remote, Korean remote");
    PcmAudio spoken =
        SpeechTools.flite("How can I change my plan?")
            .resampleTo(RATE)
            .trimSilence(-50, Duration.ZERO);
    Pcm question = new Pcm(RATE, spoken.samples());
    short[] script = new short[RATE * (LEAD_MILLIS / 1000 + 12) + question.samples().length];
    System.arraycopy(
        question.samples(), 0, script, RATE * LEAD_MILLIS / 1000, question.samples().length);
    double answeredBefore =
        meters.counter("voicecall.turn.decisions", "decision", "ANSWER").count();

    AudioSocketCaller caller =
        Objects.requireNonNull(
            AudioSocketCaller.dial(
                    audioSocket.address(),
                    UUID.randomUUID(),
                    new Pcm(RATE, script),
                    true,
                    Schedulers.parallel())
                .block(Duration.ofSeconds(10)));
    long questionEnd =
        System.nanoTime()
            + TimeUnit.MILLISECONDS.toNanos(LEAD_MILLIS)
            + TimeUnit.MILLISECONDS.toNanos(question.samples().length * 1000L / RATE);

    await()
        .atMost(Duration.ofSeconds(40))
        .until(
            () ->
                meters.counter("voicecall.turn.decisions", "decision", "ANSWER").count()
                    > answeredBefore);
    assertThat(output.getOut()).contains("decision=ANSWER entry=ko-plan-change");
    RecordedRequest request = Objects.requireNonNull(SERVER.takeRequest(5, TimeUnit.SECONDS));
    assertThat(request.getBody().readString(StandardCharsets.ISO_8859_1))
        .contains("name=\"language\"\r\n\r\nko\r\n");
    // the Korean answer is played after the question
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                caller.audio().stream()
                        .filter(m -> m.atNanos() > questionEnd)
                        .filter(ReceivedMessage::isAudible)
                        .count()
                    >= 50);

    caller.hangUp().block(Duration.ofSeconds(10));
    await().atMost(Duration.ofSeconds(10)).until(() -> registry.size() == 0);
  }
}
