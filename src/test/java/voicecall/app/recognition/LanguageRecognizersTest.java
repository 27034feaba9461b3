package voicecall.app.recognition;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import voicecall.app.config.VoiceCallProperties;
import voicecall.engine.stt.RecognitionSession;
import voicecall.engine.stt.Recognizer;
import voicecall.engine.stt.SpokenQuestionPolicy;
import voicecall.engine.stt.Transcript;
import voicecall.engine.stt.WordHypothesis;
import voicecall.rag.Answer;
import voicecall.rag.Decision;
import voicecall.rag.DecisionPolicy;
import voicecall.rag.Entry;
import voicecall.rag.KnowledgeBase;
import voicecall.rag.KnowledgeIndex;
import voicecall.rag.Language;
import voicecall.tts.audio.PcmAudio;

/**
 * Which recogniser each language gets, that a dialogue never sees a recognition error, and the
 * per-utterance metrics (with the noisy-line counts); the remote server is a MockWebServer, the
 * "local" recogniser one written here that answers a fixed text.
 */
@ExtendWith(OutputCaptureExtension.class)
class LanguageRecognizersTest {

  private final MockWebServer server = new MockWebServer();
  private final MeterRegistry meters = new SimpleMeterRegistry();

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  private static final class Fixed implements Recognizer {
    private final boolean noisyLine;

    Fixed() {
      this(false);
    }

    Fixed(boolean noisyLine) {
      this.noisyLine = noisyLine;
    }

    @Override
    public Mono<RecognitionSession> open() {
      return Mono.just(
          new RecognitionSession() {
            @Override
            public Mono<Transcript> recognize(Flux<PcmAudio> utterance) {
              return utterance
                  .then()
                  .thenReturn(
                      new Transcript(
                          "local words",
                          0,
                          0.4,
                          List.of(),
                          List.of(),
                          Duration.ZERO,
                          Duration.ZERO,
                          noisyLine));
            }

            @Override
            public void close() {}
          });
    }

    @Override
    public void close() {}
  }

  private LanguageRecognizers recognizers(Map<String, String> properties) {
    VoiceCallProperties.RemoteStt remote =
        new Binder(new MapConfigurationPropertySource(properties))
            .bindOrCreate("voicecall.stt.remote", VoiceCallProperties.RemoteStt.class);
    return new LanguageRecognizers(remote, new RecognitionMetrics(meters));
  }

  private LanguageRecognizers withRemote() {
    return recognizers(Map.of("voicecall.stt.remote.base-url", server.url("/").toString()));
  }

  private static PcmAudio speech() {
    return PcmAudio.silence(Duration.ofMillis(500), 8000);
  }

  private static String engine(LanguageRecognizers r, String lang) {
    return r.route(lang).map(LanguageRecognizers.Route::engine).orElse("none");
  }

  private double count(String engine, String result) {
    Timer t =
        meters
            .find("voicecall.stt.recognition")
            .tag("engine", engine)
            .tag("result", result)
            .timer();
    return t == null ? 0 : t.count();
  }

  @Test
  void withoutARemoteEnglishIsLocalOnceRegisteredAndKoreanHasNone() {
    LanguageRecognizers r = recognizers(Map.of());
    assertThat(engine(r, "en")).isEqualTo("none");
    assertThat(engine(r, "ko")).isEqualTo("none");
    r.useLocalEnglish(new Fixed());
    assertThat(engine(r, "en-US")).isEqualTo("pocketsphinx");
    assertThat(r.forLanguage("ko")).isEmpty();
    assertThat(r.forLanguage("de")).isEmpty();
  }

  @Test
  void withARemoteKoreanIsRemoteAndEnglishFallsBackToLocal() {
    LanguageRecognizers r = withRemote();
    assertThat(engine(r, "ko")).isEqualTo("remote");
    assertThat(engine(r, "en")).isEqualTo("remote");
    r.useLocalEnglish(new Fixed());
    assertThat(engine(r, "en")).isEqualTo("remote+pocketsphinx");

    LanguageRecognizers koreanOnly =
        recognizers(
            Map.of(
                "voicecall.stt.remote.base-url",
                server.url("/").toString(),
                "voicecall.stt.remote.languages",
                "ko"));
    koreanOnly.useLocalEnglish(new Fixed());
    assertThat(engine(koreanOnly, "en")).isEqualTo("pocketsphinx");
    assertThat(engine(koreanOnly, "ko")).isEqualTo("remote");
  }

  @Test
  void aKoreanRemoteTranscriptIsMeasured() {
    server.enqueue(
        new MockResponse()
            .setHeader("Content-Type", "application/json")
            .setBody("{\"text\":\"요금제를 바꾸고 싶어요\"}"));
    LanguageRecognizers r = withRemote();
    Transcript t =
        Objects.requireNonNull(
            r.forLanguage("ko").orElseThrow().recognize(speech()).block(Duration.ofSeconds(10)));
    assertThat(t.text()).isEqualTo("요금제를 바꾸고 싶어요");
    assertThat(count("remote", "ok")).isEqualTo(1);
    assertThat(
            Objects.requireNonNull(
                    meters.find("voicecall.stt.audio").tag("engine", "remote").summary())
                .totalAmount())
        .isEqualTo(0.5);
  }

  @Test
  void aKoreanRemoteFailureIsAnEmptyTranscriptAndCounted() {
    server.enqueue(new MockResponse().setResponseCode(503).setBody("overloaded"));
    LanguageRecognizers r = withRemote();
    Transcript t =
        Objects.requireNonNull(
            r.forLanguage("ko").orElseThrow().recognize(speech()).block(Duration.ofSeconds(10)));
    assertThat(t.isEmpty()).isTrue();
    assertThat(count("remote", "http_status")).isEqualTo(1);
  }

  @Test
  void anEnglishRemoteFailureFallsBackToTheLocalTranscript() {
    server.enqueue(new MockResponse().setBody("{not json"));
    LanguageRecognizers r = withRemote();
    r.useLocalEnglish(new Fixed());
    Transcript t =
        Objects.requireNonNull(
            r.forLanguage("en").orElseThrow().recognize(speech()).block(Duration.ofSeconds(10)));
    assertThat(t.text()).isEqualTo("local words");
    assertThat(count("remote", "malformed_response")).isEqualTo(1);
    assertThat(count("pocketsphinx", "ok")).isEqualTo(1);
  }

  /** A counter's count, or -1 while it is not registered. */
  private double counted(String name, String... tags) {
    Counter c = meters.find(name).tags(tags).counter();
    return c == null ? -1 : c.count();
  }

  private double noisyLines(String engine) {
    return counted("voicecall.stt.noisy.line", "engine", engine);
  }

  private double confirmations(String language, String source) {
    return counted(
        "voicecall.stt.noisy.line.confirmations", "language", language, "source", source);
  }

  @Test
  void utterancesHeardOverANoisyLineAreCountedPerEngineAndLogged(CapturedOutput output) {
    LanguageRecognizers clean = recognizers(Map.of());
    clean.useLocalEnglish(new Fixed(false));
    Transcript heard =
        Objects.requireNonNull(
            clean
                .forLanguage("en")
                .orElseThrow()
                .recognize(speech())
                .block(Duration.ofSeconds(10)));
    assertThat(heard.noisyLine()).isFalse();
    assertThat(noisyLines("pocketsphinx")).isZero();
    assertThat(output.getOut())
        .contains("engine=pocketsphinx result=ok")
        .contains("noisyLine=false");

    LanguageRecognizers noisy = recognizers(Map.of());
    noisy.useLocalEnglish(new Fixed(true));
    for (int i = 0; i < 2; i++) {
      assertThat(
              Objects.requireNonNull(
                      noisy
                          .forLanguage("en")
                          .orElseThrow()
                          .recognize(speech())
                          .block(Duration.ofSeconds(10)))
                  .noisyLine())
          .isTrue();
    }
    assertThat(noisyLines("pocketsphinx")).isEqualTo(2);
    assertThat(count("pocketsphinx", "ok")).isEqualTo(3);
    assertThat(output.getOut()).contains("noisyLine=true");
  }

  @Test
  void aConfirmationAskedOnlyForTheNoisyLineIsCountedPerLanguageAndSource() {
    KnowledgeIndex index =
        new KnowledgeIndex(
            KnowledgeBase.build(
                1,
                List.of(
                    entry("en-data-balance", "How much data do I have left?", "Text DATA."),
                    entry("en-roaming", "How do I use my phone abroad?", "Roaming is on."),
                    entry("en-bill-pay", "How can I pay my bill?", "By card."))),
            DecisionPolicy.DEFAULT,
            0);
    String question = "how much data do i have left";
    assertThat(index.ask(question, Language.EN).decision()).isEqualTo(Decision.ANSWER);
    SpokenQuestionPolicy policy = SpokenQuestionPolicy.DEFAULT;
    Transcript clean =
        heard(
            question,
            (policy.answerAt() + policy.noisyLineAnswerAt()) / 2,
            "how much data do i have",
            "how much data i have left");
    LanguageRecognizers r = recognizers(Map.of());

    assertThat(r.decide(index, clean, Language.EN).decision()).isEqualTo(Decision.ANSWER);
    assertThat(confirmations("en", "call")).isZero();

    Answer noisy = r.decide(index, clean.onNoisyLine(), Language.EN);
    assertThat(noisy.decision()).isEqualTo(Decision.CLARIFY);
    assertThat(noisy.entryId()).isEqualTo("en-data-balance");
    assertThat(confirmations("en", "call")).isEqualTo(1);

    // a confirmation a clean line would also ask is not counted
    Transcript doubtful =
        heard(question, 0.3, "how much data do i have", "how much data i have left").onNoisyLine();
    assertThat(r.decide(index, doubtful, Language.EN).decision()).isEqualTo(Decision.CLARIFY);
    assertThat(confirmations("en", "call")).isEqualTo(1);

    r.decide(index, clean.onNoisyLine(), Language.EN, RecognitionMetrics.RECOGNISE);
    assertThat(confirmations("en", "recognise")).isEqualTo(1);
    assertThat(confirmations("en", "call")).isEqualTo(1);
  }

  private static Entry entry(String id, String question, String answer) {
    return new Entry(id, List.of(question), answer, List.of(), Language.EN);
  }

  /** The words of {@code text}, each with the same posterior (times do not matter here). */
  private static Transcript heard(String text, double wordConfidence, String... alternatives) {
    List<WordHypothesis> words =
        Arrays.stream(text.split(" "))
            .map(w -> new WordHypothesis(w, Duration.ZERO, Duration.ZERO, wordConfidence))
            .toList();
    return new Transcript(
        text, -1000, 0.01, words, List.of(alternatives), Duration.ofSeconds(2), Duration.ZERO);
  }
}
