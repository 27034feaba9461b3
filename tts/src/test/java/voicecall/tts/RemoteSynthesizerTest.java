package voicecall.tts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import voicecall.tts.audio.PcmAudio;
import voicecall.tts.audio.Wav;

class RemoteSynthesizerTest {

  private final MockWebServer server = new MockWebServer();

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  private RemoteSpeechConfig config(@Nullable String apiKey, Duration timeout) {
    return new RemoteSpeechConfig(
        URI.create(server.url("/").toString()), "tts-1", "alloy", apiKey, timeout);
  }

  static PcmAudio tone(int sampleRate) {
    short[] samples = new short[sampleRate];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = (short) (8000 * Math.sin(2 * Math.PI * 220 * i / sampleRate));
    }
    return PcmAudio.of(samples, sampleRate);
  }

  private static void expectFailure(Synthesizer remote, int withinSeconds, String... messageParts) {
    StepVerifier.create(remote.synthesize("Hello.", Voice.of(Language.ENGLISH)))
        .expectErrorSatisfies(
            e -> {
              assertThat(e).isInstanceOf(SynthesisException.class);
              for (String part : messageParts) {
                assertThat(e).hasMessageContaining(part);
              }
            })
        .verify(Duration.ofSeconds(withinSeconds));
  }

  @Test
  void postsAnOpenAiStyleRequestAndDecodesTheWav() throws InterruptedException {
    PcmAudio audio = tone(24_000);
    server.enqueue(
        new MockResponse()
            .setHeader("Content-Type", "audio/wav")
            .setBody(new Buffer().write(Wav.encode(audio))));
    Synthesizer remote = Synthesizers.remote(config("secret-key", Duration.ofSeconds(5)));

    StepVerifier.create(remote.synthesize("요금은 \"만 원\"입니다.\n", new Voice(Language.KOREAN, "nova")))
        .expectNext(audio)
        .verifyComplete();

    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request).isNotNull();
    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getPath()).isEqualTo("/v1/audio/speech");
    assertThat(request.getHeader("Authorization")).isEqualTo("Bearer secret-key");
    assertThat(request.getBody().readUtf8())
        .isEqualTo(
            "{\"model\":\"tts-1\",\"input\":\"요금은 \\\"만 원\\\"입니다.\\n\",\"voice\":\"nova\","
                + "\"response_format\":\"wav\"}");
  }

  @Test
  void defaultVoiceUsesTheConfiguredOneAndNoKeyMeansNoAuthorization() throws InterruptedException {
    server.enqueue(new MockResponse().setBody(new Buffer().write(Wav.encode(tone(16_000)))));
    Synthesizer remote = Synthesizers.remote(config(null, Duration.ofSeconds(5)));
    StepVerifier.create(remote.synthesize("Hello.", Voice.of(Language.ENGLISH)))
        .expectNextCount(1)
        .verifyComplete();
    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request).isNotNull();
    assertThat(request.getHeader("Authorization")).isNull();
    assertThat(request.getBody().readUtf8()).contains("\"voice\":\"alloy\"");
  }

  @Test
  void serverErrorBecomesAClearError() {
    server.enqueue(new MockResponse().setResponseCode(503).setBody("{\"error\":\"overloaded\"}"));
    Synthesizer remote = Synthesizers.remote(config("k", Duration.ofSeconds(5)));
    expectFailure(remote, 10, "HTTP 503", "overloaded");
  }

  @Test
  void slowServerTimesOut() {
    server.enqueue(
        new MockResponse()
            .setHeadersDelay(5, TimeUnit.SECONDS)
            .setBody(new Buffer().write(Wav.encode(tone(16_000)))));
    Synthesizer remote = Synthesizers.remote(config("k", Duration.ofMillis(300)));
    expectFailure(remote, 4, "timed out");
  }

  @Test
  void garbageBodyIsRejected() {
    server.enqueue(new MockResponse().setBody("this is not audio at all"));
    Synthesizer remote = Synthesizers.remote(config("k", Duration.ofSeconds(5)));
    expectFailure(remote, 10, "no usable audio");
  }

  @Test
  void configComesFromTheEnvironmentAndHidesTheKey() {
    assertThat(RemoteSpeechConfig.fromEnvironment(Map.of())).isNull();
    RemoteSpeechConfig config =
        Objects.requireNonNull(
            RemoteSpeechConfig.fromEnvironment(
                Map.of(
                    RemoteSpeechConfig.BASE_URL_ENV, "https://speech.example.com",
                    RemoteSpeechConfig.API_KEY_ENV, "sk-very-secret",
                    RemoteSpeechConfig.TIMEOUT_ENV, "1500")));
    assertThat(config).isNotNull();
    assertThat(config.model()).isEqualTo("tts-1");
    assertThat(config.voice()).isEqualTo("alloy");
    assertThat(config.apiKey()).isEqualTo("sk-very-secret");
    assertThat(config.timeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(config.toString()).doesNotContain("sk-very-secret");
    assertThatThrownBy(
            () ->
                RemoteSpeechConfig.fromEnvironment(
                    Map.of(RemoteSpeechConfig.BASE_URL_ENV, "ftp://x")))
        .hasMessageContaining("http(s)");
    assertThatThrownBy(
            () ->
                RemoteSpeechConfig.fromEnvironment(
                    Map.of(
                        RemoteSpeechConfig.BASE_URL_ENV, "http://x",
                        RemoteSpeechConfig.TIMEOUT_ENV, "soon")))
        .hasMessageContaining("milliseconds");
  }
}
