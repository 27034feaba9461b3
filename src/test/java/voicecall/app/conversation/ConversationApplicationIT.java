package voicecall.app.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.scheduler.Schedulers;
import voicecall.app.TestDatabases;
import voicecall.app.telephony.CallRegistry;
import voicecall.app.telephony.audiosocket.AudioSocketMessage;
import voicecall.app.telephony.audiosocket.AudioSocketServer;
import voicecall.app.telephony.client.AudioSocketCaller;
import voicecall.app.telephony.client.Pcm;
import voicecall.app.telephony.client.ReceivedMessage;
import voicecall.tts.Language;
import voicecall.tts.OrderedSynthesis;
import voicecall.tts.Voice;
import voicecall.tts.audio.PcmAudio;

/**
 * The whole application over a real AudioSocket: an English caller hears the greeting, asks a
 * question from the sample FAQ in flite's voice, and hears the answer's audio. Needs flite and
 * PocketSphinx: skipped without them locally, a failure under {@code CI=true}. With {@code
 * -Dconversation.runs=N} it places N calls and prints the voice-to-voice latency the caller sees.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class ConversationApplicationIT {

  private static final Path DATA_DIR = tempDir();
  private static final int RATE = 8000;
  private static final int LEAD_MILLIS = 9000;
  private static final String QUESTION = "How much data do I have left?";
  private static final String ENTRY = "en-data-balance";
  private static final String ANSWER =
      "Your remaining data is shown on the home screen of the app, or text DATA to 1234 and we"
          + " reply with your balance.";

  @DynamicPropertySource
  static void h2(DynamicPropertyRegistry registry) {
    registry.add("voicecall.data-dir", DATA_DIR::toString);
  }

  @Autowired AudioSocketServer audioSocket;
  @Autowired CallRegistry registry;
  @Autowired ConversationAnswering answering;
  @Autowired OrderedSynthesis synthesis;
  @Autowired MeterRegistry meters;
  @LocalServerPort int port;

  @Test
  void anEnglishQuestionIsAnsweredWithTheAnswersAudio(CapturedOutput output) {
    assumeSpeech();
    await().atMost(Duration.ofSeconds(90)).until(answering::ready);
    PcmAudio question = flite(QUESTION).resampleTo(RATE).trimSilence(-50, Duration.ZERO);
    short[] script = new short[RATE * (LEAD_MILLIS / 1000 + 12) + question.length()];
    System.arraycopy(question.samples(), 0, script, RATE * LEAD_MILLIS / 1000, question.length());
    long questionEndOffsetNanos =
        TimeUnit.MILLISECONDS.toNanos(LEAD_MILLIS) + question.duration().toNanos();
    List<short[]> expected = expectedReply();

    int runs = Integer.getInteger("conversation.runs", 1);
    List<Long> latencies = new ArrayList<>();
    for (int run = 0; run < runs; run++) {
      double answeredBefore =
          meters.counter("voicecall.turn.decisions", "decision", "ANSWER").count();
      UUID callId = UUID.randomUUID();
      AudioSocketCaller caller =
          Objects.requireNonNull(
              AudioSocketCaller.dial(
                      audioSocket.address(),
                      callId,
                      new Pcm(RATE, script),
                      true,
                      Schedulers.parallel())
                  .block(Duration.ofSeconds(10)));
      long start = System.nanoTime();
      long questionStart = start + TimeUnit.MILLISECONDS.toNanos(LEAD_MILLIS);
      long questionEnd = start + questionEndOffsetNanos;

      // the greeting plays before the question starts
      await()
          .atMost(Duration.ofSeconds(LEAD_MILLIS / 1000))
          .until(() -> caller.audio().stream().filter(ReceivedMessage::isAudible).count() >= 50);
      assertThat(caller.audio().stream().filter(ReceivedMessage::isAudible))
          .allMatch(m -> m.atNanos() < questionStart);

      // after the question: the answer's own audio, frame for frame
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  replyStart(caller.audio(), expected.get(0), questionEnd) >= 0
                      && caller.audio().size()
                          > replyStart(caller.audio(), expected.get(0), questionEnd) + 50);
      List<ReceivedMessage> audio = caller.audio();
      int first = replyStart(audio, expected.get(0), questionEnd);
      for (int i = 0; i < 50; i++) {
        assertThat(pcm(audio.get(first + i))).as("reply frame %d", i).isEqualTo(expected.get(i));
      }
      latencies.add(audio.get(first).atNanos() - questionEnd);
      assertThat(answering.activeConversations()).isEqualTo(1);
      assertThat(meters.counter("voicecall.turn.decisions", "decision", "ANSWER").count())
          .isEqualTo(answeredBefore + 1);
      assertThat(output.getOut()).contains("decision=ANSWER entry=" + ENTRY);

      caller.hangUp().block(Duration.ofSeconds(10));
      await().atMost(Duration.ofSeconds(10)).until(() -> registry.size() == 0);
      // the conversation (VAD stream, recognition session, reply) was disposed with the call
      await().atMost(Duration.ofSeconds(10)).until(() -> answering.activeConversations() == 0);
      assertCallRecorded(callId);
    }
    latencies.sort(null);
    System.out.printf(
        "voice-to-voice at the caller over %d calls: p50 %d ms, p95 %d ms, p99 %d ms, max %d ms%n",
        runs,
        millis(latencies, 0.50),
        millis(latencies, 0.95),
        millis(latencies, 0.99),
        TimeUnit.NANOSECONDS.toMillis(latencies.get(latencies.size() - 1)));
  }

  /** The call's record and its answered turn are served under the AudioSocket UUID. */
  private void assertCallRecorded(UUID callId) {
    WebTestClient http = TestDatabases.http(port);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                http.get()
                    .uri("/api/v1/calls?externalId={id}", callId)
                    .exchange()
                    .expectStatus()
                    .isOk()
                    .expectBody()
                    .jsonPath("$.total")
                    .isEqualTo(1)
                    .jsonPath("$.items[0].id")
                    .isEqualTo(callId.toString())
                    .jsonPath("$.items[0].outcome")
                    .isEqualTo("answered")
                    .jsonPath("$.items[0].adapter")
                    .isEqualTo("audiosocket"));
    http.get()
        .uri("/api/v1/calls/{id}", callId)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.call.hangupCause")
        .isEqualTo("CALLER")
        .jsonPath("$.turns.length()")
        .isEqualTo(1)
        .jsonPath("$.turns[0].decision")
        .isEqualTo("ANSWER")
        .jsonPath("$.turns[0].entryId")
        .isEqualTo(ENTRY)
        .jsonPath("$.turns[0].heard")
        .value(String.class, h -> assertThat(h).isNotBlank())
        .jsonPath("$.turns[0].voiceToVoiceMs")
        .value(Number.class, v -> assertThat(v.longValue()).isPositive());
  }

  /** The first frames of the reply, as the app renders it, without leading silent frames. */
  private List<short[]> expectedReply() {
    List<PcmAudio> frames =
        Objects.requireNonNull(
            synthesis
                .frames(
                    ANSWER + " " + ConversationConfiguration.ANYTHING_ELSE,
                    Voice.of(Language.ENGLISH),
                    RATE)
                .take(200)
                .collectList()
                .block(Duration.ofSeconds(60)));
    List<short[]> out = new ArrayList<>();
    for (PcmAudio f : frames) {
      short[] s = f.samples();
      if (out.isEmpty() && isZero(s)) {
        continue;
      }
      out.add(s);
    }
    assertThat(out).hasSizeGreaterThan(50);
    return out;
  }

  private static int replyStart(List<ReceivedMessage> audio, short[] firstFrame, long after) {
    for (int i = 0; i < audio.size(); i++) {
      ReceivedMessage m = audio.get(i);
      if (m.atNanos() > after && Arrays.equals(pcm(m), firstFrame)) {
        return i;
      }
    }
    return -1;
  }

  private static short[] pcm(ReceivedMessage m) {
    AudioSocketMessage.Audio a = (AudioSocketMessage.Audio) m.message();
    return Pcm.fromSlin(RATE, a.pcm()).samples();
  }

  private static boolean isZero(short[] s) {
    for (short x : s) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static long millis(List<Long> sorted, double q) {
    int i = (int) Math.ceil(q * sorted.size()) - 1;
    return TimeUnit.NANOSECONDS.toMillis(sorted.get(Math.max(0, i)));
  }

  private static boolean installed(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void assumeSpeech() {
    boolean ready =
        installed("flite", "-lv")
            && Files.isDirectory(Path.of("/usr/share/pocketsphinx/model/en-us"))
            && Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libpocketsphinx.so.3"));
    if ("true".equals(System.getenv("CI"))) {
      assertThat(ready).as("flite and pocketsphinx must be installed in CI").isTrue();
    }
    assumeTrue(ready, "flite or pocketsphinx is not installed");
  }

  private static PcmAudio flite(String text) {
    try {
      Path wav = Files.createTempFile("question", ".wav");
      try {
        Process p =
            new ProcessBuilder("flite", "-voice", "slt", "-t", text, "-o", wav.toString())
                .redirectErrorStream(true)
                .start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0).isTrue();
        Pcm pcm = Pcm.fromWav(Files.readAllBytes(wav));
        return PcmAudio.of(pcm.samples(), pcm.sampleRate());
      } finally {
        Files.deleteIfExists(wav);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("voicecall-conversation-it");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
