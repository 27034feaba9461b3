package voicecall.app.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static voicecall.app.conversation.CallerSpeech.RATE;
import static voicecall.app.conversation.CallerSpeech.assumeSpeech;
import static voicecall.app.conversation.CallerSpeech.find;
import static voicecall.app.conversation.CallerSpeech.longestMatch;
import static voicecall.app.conversation.CallerSpeech.millis;
import static voicecall.app.conversation.CallerSpeech.pcm;
import static voicecall.app.conversation.CallerSpeech.question;
import static voicecall.app.conversation.CallerSpeech.rendered;
import static voicecall.app.conversation.CallerSpeech.replyStart;
import static voicecall.app.conversation.CallerSpeech.tempDir;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;
import voicecall.app.TestDatabases;
import voicecall.app.config.VoiceCallProperties;
import voicecall.app.telephony.CallRegistry;
import voicecall.app.telephony.audiosocket.AudioSocketServer;
import voicecall.app.telephony.client.AudioSocketCaller;
import voicecall.app.telephony.client.Pcm;
import voicecall.app.telephony.client.ReceivedMessage;
import voicecall.engine.dialogue.CallerWords;
import voicecall.engine.dialogue.Conversation;
import voicecall.rag.Entry;
import voicecall.rag.KnowledgeIndex;
import voicecall.tts.Language;
import voicecall.tts.OrderedSynthesis;
import voicecall.tts.audio.PcmAudio;

/**
 * The whole application over a real AudioSocket: an English caller hears the greeting, asks a
 * question from the sample FAQ in flite's voice, and hears the answer's audio; a silent caller is
 * re-prompted, then told goodbye and hung up on; a Korean caller uses the keypad menu and {@code *}
 * to hear an answer again. Needs flite, espeak-ng and PocketSphinx: skipped without them locally, a
 * failure under {@code CI=true}. With {@code -Dconversation.runs=N} the first test places N calls
 * and prints the voice-to-voice latency the caller sees.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class ConversationApplicationIT {

  private static final Path DATA_DIR = tempDir("voicecall-conversation-it");
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
  @Autowired VoiceCallProperties properties;
  @Autowired KnowledgeIndex index;
  @LocalServerPort int port;

  @Test
  void anEnglishQuestionIsAnsweredWithTheAnswersAudio(CapturedOutput output) {
    assumeSpeech();
    await().atMost(Duration.ofSeconds(90)).until(answering::ready);
    PcmAudio question = question(QUESTION);
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

  @Test
  void aSilentCallerIsRepromptedThenToldGoodbyeAndHungUpOn(CapturedOutput output) {
    assumeSpeech();
    await().atMost(Duration.ofSeconds(90)).until(answering::ready);
    VoiceCallProperties.PromptSet en = properties.tts().prompts().en();
    List<short[]> stillThere = rendered(synthesis, en.stillThere(), Language.ENGLISH);
    List<short[]> goodbye = rendered(synthesis, en.goodbye(), Language.ENGLISH);
    AudioSocketCaller caller = dial(UUID.randomUUID(), new short[RATE]);

    // nobody speaks: the engine ends the call itself (8 s, re-prompt, 8 s, goodbye)
    caller.closed().block(Duration.ofSeconds(60));
    assertThat(caller.hangupReceived()).isTrue();
    List<ReceivedMessage> audio = caller.audio();
    int prompt = find(audio, stillThere, 0, 25);
    assertThat(prompt).as("the still-there prompt's audio").isPositive();
    int bye = find(audio, goodbye, prompt + 25, 25);
    assertThat(bye)
        .as(
            "the goodbye's audio after the re-prompt (at %d of %d frames; longest match %d;"
                + " frames dropped by the server so far %s)",
            prompt,
            audio.size(),
            longestMatch(audio, goodbye),
            meters.counter("voicecall.audio.frames.dropped").count())
        .isPositive();
    await().atMost(Duration.ofSeconds(10)).until(() -> registry.size() == 0);
    assertThat(output.getOut()).contains("goodbye (TIMED_OUT)");
  }

  @Test
  void aKoreanCallerUsesTheKeypadMenuAndStarRepeatsTheAnswer(CapturedOutput output) {
    assumeSpeech();
    List<Entry> korean =
        index.current().entries().stream()
            .filter(e -> e.language() == voicecall.rag.Language.KO)
            .toList();
    assertThat(korean).hasSizeGreaterThanOrEqualTo(3);
    Entry third = korean.get(2);
    // the reply to a digit: the entry's answer, then the menu again
    String menu =
        Conversation.menuText(
            korean,
            ConversationConfiguration.prompts(
                properties.tts().prompts().ko(), CallerWords.korean()),
            properties.dialogue().menuSize());
    List<short[]> answer = rendered(synthesis, third.answer() + " " + menu, Language.KOREAN);
    UUID id = UUID.randomUUID();
    // what the FastAGI session or ARI channel announces for a Korean line
    Disposable expectation = registry.expect(id.toString(), "ko");
    try {
      AudioSocketCaller caller = dial(id, new short[RATE]);
      // the greeting and the menu start; the caller does not wait for the whole menu
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> caller.audio().stream().filter(ReceivedMessage::isAudible).count() >= 50);
      int beforeKey = caller.audio().size();
      caller.pressKey('3');
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> find(caller.audio(), answer, beforeKey, 50) >= 0);
      int first = find(caller.audio(), answer, beforeKey, 50);

      int beforeStar = caller.audio().size();
      caller.pressKey('*');
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> find(caller.audio(), answer, beforeStar, 50) >= 0);
      assertThat(find(caller.audio(), answer, beforeStar, 50)).isGreaterThan(first);
      assertThat(output.getOut()).contains("keypad menu (ko: no recogniser)");
      assertThat(output.getOut()).contains("decision=ANSWER entry=" + third.id());

      caller.hangUp().block(Duration.ofSeconds(10));
      await().atMost(Duration.ofSeconds(10)).until(() -> registry.size() == 0);
    } finally {
      expectation.dispose();
    }
  }

  private AudioSocketCaller dial(UUID id, short[] script) {
    return Objects.requireNonNull(
        AudioSocketCaller.dial(
                audioSocket.address(), id, new Pcm(RATE, script), true, Schedulers.parallel())
            .block(Duration.ofSeconds(10)));
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
        .jsonPath("$.turns[0].score")
        .value(Number.class, v -> assertThat(v.doubleValue()).isGreaterThan(0.0))
        .jsonPath("$.turns[0].voiceToVoiceMs")
        .value(Number.class, v -> assertThat(v.longValue()).isPositive());
  }

  /** The reply to the question, as the app renders it, without leading silent frames. */
  private List<short[]> expectedReply() {
    List<short[]> out =
        rendered(
            synthesis,
            ANSWER + " " + properties.tts().prompts().en().anythingElse(),
            Language.ENGLISH);
    assertThat(out).hasSizeGreaterThan(50);
    return out;
  }
}
