package voicecall.engine.stt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import voicecall.tts.audio.PcmAudio;
import voicecall.tts.audio.Wav;

class RemoteRecognizerTest {

  private final MockWebServer server = new MockWebServer();

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  private RemoteRecognizerConfig config(
      @Nullable String key, @Nullable String language, Duration timeout, boolean verbose) {
    return new RemoteRecognizerConfig(
        URI.create(server.url("/").toString()),
        "whisper-1",
        key,
        language,
        timeout,
        Duration.ofSeconds(5),
        4,
        verbose);
  }

  private RemoteRecognizerConfig config() {
    return config("k", "en", Duration.ofSeconds(5), true);
  }

  static PcmAudio tone(int rate, int millis) {
    short[] s = new short[rate * millis / 1000];
    for (int i = 0; i < s.length; i++) {
      s[i] = (short) (6000 * Math.sin(2 * Math.PI * 300 * i / rate));
    }
    return PcmAudio.of(s, rate);
  }

  private static Flux<PcmAudio> frames(PcmAudio audio) {
    return Flux.fromIterable(audio.frames(Duration.ofMillis(20)));
  }

  private static MockResponse json(String body) {
    return new MockResponse().setHeader("Content-Type", "application/json").setBody(body);
  }

  private static Transcript recognise(Recognizer r, Flux<PcmAudio> utterance) {
    return Objects.requireNonNull(
        r.open()
            .flatMap(s -> s.recognize(utterance).doFinally(x -> s.close()))
            .block(Duration.ofSeconds(10)));
  }

  private static void expectFailure(
      Recognizer r, RecognitionException.Reason reason, int withinSeconds, String... parts) {
    StepVerifier.create(r.recognize(tone(8000, 400)))
        .expectErrorSatisfies(
            e -> {
              assertThat(e).isInstanceOf(RecognitionException.class);
              assertThat(((RecognitionException) e).reason()).isEqualTo(reason);
              for (String part : parts) {
                assertThat(e).hasMessageContaining(part);
              }
            })
        .verify(Duration.ofSeconds(withinSeconds));
  }

  /** The parts of a multipart/form-data body: name → bytes. */
  static Map<String, byte[]> parts(RecordedRequest request) {
    String type = Objects.requireNonNull(request.getHeader("Content-Type"));
    assertThat(type).startsWith("multipart/form-data; boundary=");
    byte[] boundary =
        ("--" + type.substring(type.indexOf('=') + 1)).getBytes(StandardCharsets.US_ASCII);
    byte[] body = request.getBody().readByteArray();
    Map<String, byte[]> out = new LinkedHashMap<>();
    List<Integer> starts = new ArrayList<>();
    for (int i = 0; i + boundary.length <= body.length; i++) {
      if (Arrays.equals(body, i, i + boundary.length, boundary, 0, boundary.length)) {
        starts.add(i);
      }
    }
    for (int k = 0; k + 1 < starts.size(); k++) {
      int from = starts.get(k) + boundary.length + 2;
      int to = starts.get(k + 1) - 2; // the CRLF before the next boundary
      String head = new String(body, from, Math.min(300, to - from), StandardCharsets.ISO_8859_1);
      int headEnd = head.indexOf("\r\n\r\n");
      String name = head.substring(head.indexOf("name=\"") + 6);
      name = name.substring(0, name.indexOf('"'));
      out.put(name, Arrays.copyOfRange(body, from + headEnd + 4, to));
    }
    return out;
  }

  @Test
  void postsTheUtteranceAsAWavWithModelLanguageAndKey() throws InterruptedException {
    server.enqueue(json("{\"text\":\"  How much DATA do I have left? \"}"));
    Recognizer remote = Recognizers.remote(config("sk-secret", "en", Duration.ofSeconds(5), false));
    PcmAudio audio = tone(8000, 700);

    Transcript t = recognise(remote, frames(audio));

    assertThat(t.text()).isEqualTo("how much data do i have left");
    assertThat(t.confidence()).isEqualTo(1.0);
    assertThat(t.audio()).isEqualTo(Duration.ofMillis(700));
    RecordedRequest request = Objects.requireNonNull(server.takeRequest(5, TimeUnit.SECONDS));
    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getPath()).isEqualTo("/v1/audio/transcriptions");
    assertThat(request.getHeader("Authorization")).isEqualTo("Bearer sk-secret");
    Map<String, byte[]> parts = parts(request);
    assertThat(parts).containsOnlyKeys("file", "model", "language", "response_format");
    PcmAudio sent = Wav.decode(Objects.requireNonNull(parts.get("file")));
    assertThat(sent.sampleRate()).isEqualTo(8000);
    assertThat(sent).isEqualTo(audio);
    assertThat(new String(parts.get("model"), StandardCharsets.UTF_8)).isEqualTo("whisper-1");
    assertThat(new String(parts.get("language"), StandardCharsets.UTF_8)).isEqualTo("en");
    assertThat(new String(parts.get("response_format"), StandardCharsets.UTF_8)).isEqualTo("json");
  }

  @Test
  void withoutKeyOrLanguageNeitherIsSentAndKoreanTextIsKept() throws InterruptedException {
    server.enqueue(json("{\"text\":\"요금제를 바꾸고 싶어요.\"}"));
    Recognizer remote = Recognizers.remote(config(null, null, Duration.ofSeconds(5), true));

    Transcript t = recognise(remote, frames(tone(16000, 500)));

    assertThat(t.text()).isEqualTo("요금제를 바꾸고 싶어요");
    RecordedRequest request = Objects.requireNonNull(server.takeRequest(5, TimeUnit.SECONDS));
    assertThat(request.getHeader("Authorization")).isNull();
    Map<String, byte[]> parts = parts(request);
    assertThat(parts).doesNotContainKey("language");
    assertThat(Wav.decode(Objects.requireNonNull(parts.get("file"))).sampleRate()).isEqualTo(16000);
    assertThat(new String(parts.get("response_format"), StandardCharsets.UTF_8))
        .isEqualTo("verbose_json");
  }

  @Test
  void verboseSegmentsGiveALengthWeightedConfidence() {
    server.enqueue(
        json(
            "{\"text\":\"roaming charges\",\"segments\":["
                + "{\"start\":0.0,\"end\":1.0,\"avg_logprob\":-0.1,\"no_speech_prob\":0.0},"
                + "{\"start\":1.0,\"end\":4.0,\"avg_logprob\":-0.5,\"no_speech_prob\":0.2}]}"));
    Transcript t = recognise(Recognizers.remote(config()), frames(tone(8000, 400)));
    double expected = (1 * Math.exp(-0.1) + 3 * Math.exp(-0.5) * 0.8) / 4;
    assertThat(t.text()).isEqualTo("roaming charges");
    assertThat(t.confidence()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void segmentsThatAreAllSilenceGiveAnEmptyTranscript() {
    server.enqueue(
        json(
            "{\"text\":\"Thank you.\",\"segments\":["
                + "{\"start\":0.0,\"end\":1.0,\"avg_logprob\":-1.4,\"no_speech_prob\":0.9}]}"));
    Transcript t = recognise(Recognizers.remote(config()), frames(tone(8000, 400)));
    assertThat(t.isEmpty()).isTrue();
    assertThat(t.confidence()).isZero();
  }

  @Test
  void noAudioSendsNoRequest() {
    Transcript t = recognise(Recognizers.remote(config()), Flux.empty());
    assertThat(t.isEmpty()).isTrue();
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void serverErrorIsAClearError() {
    server.enqueue(
        new MockResponse().setResponseCode(500).setBody("{\"error\":\"model crashed\"}"));
    expectFailure(
        Recognizers.remote(config()),
        RecognitionException.Reason.HTTP_STATUS,
        10,
        "HTTP 500",
        "model crashed");
  }

  @Test
  void unauthorisedIsAClearError() {
    server.enqueue(new MockResponse().setResponseCode(401).setBody("bad key"));
    expectFailure(
        Recognizers.remote(config()), RecognitionException.Reason.HTTP_STATUS, 10, "HTTP 401");
  }

  @Test
  void slowServerTimesOut() {
    server.enqueue(json("{\"text\":\"late\"}").setHeadersDelay(5, TimeUnit.SECONDS));
    expectFailure(
        Recognizers.remote(config("k", "en", Duration.ofMillis(300), true)),
        RecognitionException.Reason.TIMEOUT,
        4,
        "timed out after 300 ms");
  }

  @Test
  void malformedJsonIsAClearError() {
    server.enqueue(json("{\"text\": \"unterminated"));
    expectFailure(
        Recognizers.remote(config()),
        RecognitionException.Reason.MALFORMED_RESPONSE,
        10,
        "not JSON");
  }

  @Test
  void jsonWithoutTextIsAClearError() {
    server.enqueue(json("{\"transcript\":\"hello\"}"));
    expectFailure(
        Recognizers.remote(config()),
        RecognitionException.Reason.MALFORMED_RESPONSE,
        10,
        "no \"text\"");
  }

  @Test
  void unreachableServerIsAClearError() throws IOException {
    URI base = URI.create(server.url("/").toString());
    server.shutdown();
    expectFailure(
        Recognizers.remote(
            new RemoteRecognizerConfig(
                base,
                "whisper-1",
                null,
                null,
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                4,
                true)),
        RecognitionException.Reason.CONNECTION,
        10);
  }

  @Test
  void tooLongUtteranceIsRejectedWithoutARequest() {
    Recognizer remote = Recognizers.remote(config());
    StepVerifier.create(remote.open().flatMap(s -> s.recognize(frames(tone(8000, 6000)))))
        .expectErrorSatisfies(
            e ->
                assertThat(((RecognitionException) e).reason())
                    .isEqualTo(RecognitionException.Reason.TOO_LONG))
        .verify(Duration.ofSeconds(5));
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void aRateChangeInsideAnUtteranceIsBadAudio() {
    Recognizer remote = Recognizers.remote(config());
    StepVerifier.create(
            remote.open().flatMap(s -> s.recognize(Flux.just(tone(8000, 20), tone(16000, 20)))))
        .expectErrorSatisfies(
            e ->
                assertThat(((RecognitionException) e).reason())
                    .isEqualTo(RecognitionException.Reason.BAD_AUDIO))
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void requestsBeyondTheLimitFailAtOnceAsBusy() {
    RemoteRecognizerConfig one =
        new RemoteRecognizerConfig(
            URI.create(server.url("/").toString()),
            "whisper-1",
            null,
            null,
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            1,
            true);
    server.enqueue(json("{\"text\":\"first\"}").setHeadersDelay(1, TimeUnit.SECONDS));
    server.enqueue(json("{\"text\":\"third\"}"));
    Recognizer remote = Recognizers.remote(one);

    // the first request holds the only slot; the second fails at once
    StepVerifier.create(
            reactor.core.publisher.Mono.zip(
                remote.recognize(tone(8000, 200)),
                reactor.core.publisher.Mono.delay(Duration.ofMillis(300))
                    .then(remote.recognize(tone(8000, 200)).materialize())))
        .assertNext(
            pair -> {
              assertThat(pair.getT1().text()).isEqualTo("first");
              Throwable busy = Objects.requireNonNull(pair.getT2().getThrowable());
              assertThat(((RecognitionException) busy).reason())
                  .isEqualTo(RecognitionException.Reason.BUSY);
            })
        .verifyComplete();
    // the slot is free again
    assertThat(Objects.requireNonNull(remote.recognize(tone(8000, 200)).block()).text())
        .isEqualTo("third");
  }

  @Test
  void aClosedRecognizerOpensNoSession() {
    Recognizer remote = Recognizers.remote(config());
    remote.close();
    StepVerifier.create(remote.open())
        .expectErrorSatisfies(
            e ->
                assertThat(((RecognitionException) e).reason())
                    .isEqualTo(RecognitionException.Reason.CLOSED))
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void configIsValidatedAndHidesTheKey() {
    URI base = URI.create("https://stt.example.com");
    RemoteRecognizerConfig c =
        new RemoteRecognizerConfig(
            base,
            "whisper-1",
            "sk-hidden",
            "ko",
            Duration.ofSeconds(3),
            Duration.ofSeconds(30),
            8,
            true);
    assertThat(c.toString()).doesNotContain("sk-hidden").contains("***");
    assertThat(c.withLanguage("en").language()).isEqualTo("en");
    assertThat(RemoteRecognizerConfig.of(base).timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThatThrownBy(() -> RemoteRecognizerConfig.of(URI.create("ftp://x")))
        .hasMessageContaining("http(s)");
    assertThatThrownBy(() -> c.withLanguage("Korean")).hasMessageContaining("ISO 639");
    assertThatThrownBy(
            () ->
                new RemoteRecognizerConfig(
                    base, "m", null, null, Duration.ZERO, Duration.ofSeconds(30), 8, true))
        .hasMessageContaining("timeout");
    assertThatThrownBy(
            () ->
                new RemoteRecognizerConfig(
                    base, "m", null, null, Duration.ofSeconds(1), Duration.ofSeconds(30), 0, true))
        .hasMessageContaining("concurrent");
  }
}
