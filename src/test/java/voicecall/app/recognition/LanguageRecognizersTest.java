package voicecall.app.recognition;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import voicecall.app.config.VoiceCallProperties;
import voicecall.engine.stt.RecognitionSession;
import voicecall.engine.stt.Recognizer;
import voicecall.engine.stt.Transcript;
import voicecall.tts.audio.PcmAudio;

/**
 * Which recogniser each language gets, that a dialogue never sees a recognition error, and the
 * per-utterance metric; the remote server is a MockWebServer, the "local" recogniser one written
 * here that answers a fixed text.
 */
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
                          Duration.ZERO));
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
}
