package voicecall.app.recognition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import voicecall.app.SpeechTools;
import voicecall.app.TestDatabases;
import voicecall.tts.audio.PcmAudio;
import voicecall.tts.audio.Wav;

/**
 * {@code POST /api/v1/recognise} in the whole application: English through the local PocketSphinx
 * recogniser with a real flite recording (skipped without flite and PocketSphinx locally, a failure
 * under {@code CI=true}), Korean through a remote recogniser that a MockWebServer stands in for,
 * and every kind of bad recording.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "voicecall.audiosocket.port=0",
      "voicecall.fastagi.port=0",
      "voicecall.stt.remote.languages=ko",
      "voicecall.stt.max-audio=10s"
    })
class RecognitionEndpointIT {

  private static final ParameterizedTypeReference<Map<String, Object>> MAP =
      new ParameterizedTypeReference<>() {};
  private static final MediaType WAV = MediaType.parseMediaType("audio/wav");
  private static final MockWebServer SERVER = new MockWebServer();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) throws IOException {
    Path data = Files.createTempDirectory("voicecall-recognise-it");
    registry.add("voicecall.data-dir", data::toString);
    SERVER.start();
    registry.add("voicecall.stt.remote.base-url", () -> SERVER.url("/").toString());
  }

  @AfterAll
  static void stopServer() throws IOException {
    SERVER.shutdown();
  }

  @LocalServerPort int port;
  @Autowired LanguageRecognizers recognizers;

  WebTestClient http;

  @BeforeEach
  void client() {
    http = TestDatabases.http(port);
  }

  private Map<String, Object> recognise(byte[] wav, String lang) {
    return Objects.requireNonNull(
        http.post()
            .uri("/api/v1/recognise?lang=" + lang)
            .contentType(WAV)
            .bodyValue(wav)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(MAP)
            .returnResult()
            .getResponseBody());
  }

  private Map<String, Object> ask(String text, String lang) {
    return Objects.requireNonNull(
        http.post()
            .uri("/api/v1/ask")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("text", text, "lang", lang))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(MAP)
            .returnResult()
            .getResponseBody());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> decision(Map<String, Object> reply) {
    return (Map<String, Object>) Objects.requireNonNull(reply.get("ask"));
  }

  @Test
  void anEnglishFliteRecordingIsRecognisedLocallyAndDecidedLikeAsk() {
    SpeechTools.assume(false);
    await().atMost(Duration.ofSeconds(90)).until(() -> recognizers.route("en").isPresent());
    // telephone band: 8 kHz, and the same sent as 16 kHz (slin16 of a narrowband call); the
    // model's CMN start is tuned for the telephone band
    // with a quiet lead-in and tail, as a call's utterance has them (the VAD's pre-roll): the
    // recogniser reads the line's noise level from the first 200 ms
    PcmAudio pad = PcmAudio.silence(Duration.ofMillis(300), 8000);
    PcmAudio question =
        pad.append(SpeechTools.flite("How much data do I have left?").resampleTo(8000)).append(pad);

    for (int rate : new int[] {8000, 16000}) {
      Map<String, Object> reply = recognise(Wav.encode(question.resampleTo(rate)), "en");

      assertThat(reply.get("engine")).isEqualTo("pocketsphinx");
      assertThat(reply.get("error")).isNull();
      assertThat(reply.get("noisyLine")).isEqualTo(false);
      String transcript = (String) Objects.requireNonNull(reply.get("transcript"));
      assertThat(transcript).as("at %d Hz", rate).contains("data", "left");
      assertThat(((Number) Objects.requireNonNull(reply.get("audioMillis"))).longValue())
          .isBetween(question.duration().toMillis() - 5, question.duration().toMillis() + 5);
      assertThat(((Number) Objects.requireNonNull(reply.get("confidence"))).doubleValue())
          .isBetween(0.0, 1.0);
      Map<String, Object> decided = decision(reply);
      assertThat(decided).containsEntry("decision", "ANSWER");
      assertThat(decided).containsEntry("entryId", "en-data-balance");
      assertThat(decided).isEqualTo(ask(transcript, "en"));
    }
    assertThat(TestDatabases.prometheus(http))
        .containsPattern(
            "voicecall_stt_recognition_seconds_count\\{[^}]*engine=\"pocketsphinx\""
                + "[^}]*result=\"ok\"[^}]*\\} 2");

    // The same recording on a noisy line (white noise 10 dB under its level, also in the lead-in
    // and tail): the noise-adapted model hears it, the reply says so, and the decision is never
    // another entry's answer.
    byte[] noisyWav = Wav.encode(onANoisyLine(question, 10));
    Map<String, Object> noisy = recognise(noisyWav, "en");
    assertThat(noisy.get("noisyLine")).isEqualTo(true);
    Map<String, Object> decided = decision(noisy);
    if ("ANSWER".equals(decided.get("decision"))) {
      assertThat(decided).containsEntry("entryId", "en-data-balance");
    }
    // Every request gets a decoder no other request used, so the same recording is heard alike
    // whatever came before it (a pooled decoder carried the last request's cepstral mean over).
    recognise(Wav.encode(question), "en");
    for (int i = 0; i < 2; i++) {
      Map<String, Object> again = recognise(noisyWav, "en");
      assertThat(again.get("transcript")).isEqualTo(noisy.get("transcript"));
      assertThat(again.get("confidence")).isEqualTo(noisy.get("confidence"));
    }
    // the requests' decoders are freed, and the spares refilled: two per model
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(TestDatabases.prometheus(http))
                    .containsPattern(
                        "voicecall_stt_decoders\\{[^}]*engine=\"pocketsphinx\"[^}]*\\} 4.0"));
  }

  /** The recording with white noise {@code snrDb} under the level of the whole of it. */
  private static PcmAudio onANoisyLine(PcmAudio speech, double snrDb) {
    short[] samples = speech.samples();
    double noiseRms = Math.pow(10, (speech.rmsDbfs() - snrDb) / 20) * 32768;
    java.util.SplittableRandom random = new java.util.SplittableRandom(7);
    for (int i = 0; i < samples.length; i++) {
      double u = 1 - random.nextDouble();
      double gaussian = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
      long noisy = Math.round(samples[i] + noiseRms * gaussian);
      samples[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, noisy));
    }
    return PcmAudio.of(samples, speech.sampleRate());
  }

  @Test
  void aKoreanRecordingGoesToTheRemoteRecogniserWithItsLanguage() throws InterruptedException {
    SERVER.enqueue(
        new MockResponse()
            .setHeader("Content-Type", "application/json")
            .setBody(
                "{\"text\":\"요금제를 변경하고 싶어요.\",\"segments\":[{\"start\":0,\"end\":1.2,"
                    + "\"avg_logprob\":-0.2,\"no_speech_prob\":0.01}]}"));
    PcmAudio audio = tone(8000, 1200);

    Map<String, Object> reply = recognise(Wav.encode(audio), "ko");

    assertThat(reply.get("engine")).isEqualTo("remote");
    assertThat(reply.get("transcript")).isEqualTo("요금제를 변경하고 싶어요");
    assertThat(((Number) Objects.requireNonNull(reply.get("confidence"))).doubleValue())
        .isCloseTo(Math.exp(-0.2) * 0.99, org.assertj.core.data.Offset.offset(1e-9));
    Map<String, Object> decided = decision(reply);
    assertThat(decided).containsEntry("decision", "ANSWER");
    assertThat(decided).containsEntry("entryId", "ko-plan-change");
    assertThat(decided).isEqualTo(ask("요금제를 변경하고 싶어요", "ko"));

    RecordedRequest request = Objects.requireNonNull(SERVER.takeRequest(5, TimeUnit.SECONDS));
    assertThat(request.getPath()).isEqualTo("/v1/audio/transcriptions");
    String body = request.getBody().readString(StandardCharsets.ISO_8859_1);
    assertThat(body).contains("name=\"language\"\r\n\r\nko\r\n");
    assertThat(body).contains("name=\"model\"\r\n\r\nwhisper-1\r\n");
    assertThat(request.getHeader("Authorization")).isNull();
  }

  @Test
  void aRemoteFailureIsNotHeardWithItsReasonAndCounted() {
    SERVER.enqueue(new MockResponse().setResponseCode(500).setBody("model crashed"));

    Map<String, Object> reply = recognise(Wav.encode(tone(16000, 600)), "ko");

    assertThat(reply.get("transcript")).isEqualTo("");
    assertThat((String) reply.get("error")).contains("HTTP 500", "model crashed");
    assertThat(decision(reply)).containsEntry("decision", "NONE");
    assertThat(TestDatabases.prometheus(http))
        .containsPattern(
            "voicecall_stt_recognition_seconds_count\\{[^}]*engine=\"remote\""
                + "[^}]*result=\"http_status\"[^}]*\\} 1");
  }

  @Test
  void badRecordingsGetProblemDetails() {
    int requestsBefore = SERVER.getRequestCount();
    PcmAudio second = tone(8000, 1000);
    expectProblem("not a wav".getBytes(StandardCharsets.UTF_8), "ko", 400, "not a WAV");
    expectProblem(withFormat(Wav.encode(second), 1, 2, 8000, 16), "ko", 400, "mono");
    expectProblem(withFormat(Wav.encode(second), 1, 1, 44100, 16), "ko", 400, "44100 Hz");
    expectProblem(withFormat(Wav.encode(second), 1, 1, 8000, 8), "ko", 400, "16-bit");
    expectProblem(withFormat(Wav.encode(second), 3, 1, 8000, 16), "ko", 400, "PCM");
    expectProblem(Wav.encode(PcmAudio.of(new short[0], 8000)), "ko", 400, "no audio");
    expectProblem(Wav.encode(tone(8000, 11_000)), "ko", 413, "at most 10000 ms");
    expectProblem(new byte[400_000], "ko", 413, "larger than");
    expectProblem(Wav.encode(second), "", 400, "'lang' is required");
    expectProblem(Wav.encode(second), "de", 400, "unknown language");
    http.post()
        .uri("/api/v1/recognise?lang=ko")
        .contentType(MediaType.TEXT_PLAIN)
        .bodyValue("hello")
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(SERVER.getRequestCount())
        .as("no bad recording reached the remote")
        .isEqualTo(requestsBefore);
  }

  private void expectProblem(byte[] body, String lang, int status, String detail) {
    Map<String, Object> problem =
        Objects.requireNonNull(
            http.post()
                .uri("/api/v1/recognise?lang=" + lang)
                .contentType(WAV)
                .bodyValue(body)
                .exchange()
                .expectStatus()
                .isEqualTo(status)
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(MAP)
                .returnResult()
                .getResponseBody());
    assertThat((String) problem.get("detail")).as(detail).contains(detail);
  }

  /** A WAV whose fmt chunk claims another format, channel count, rate or sample size. */
  private static byte[] withFormat(byte[] wav, int format, int channels, int rate, int bits) {
    byte[] out = wav.clone();
    ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort(20, (short) format);
    b.putShort(22, (short) channels);
    b.putInt(24, rate);
    b.putShort(34, (short) bits);
    return out;
  }

  private static PcmAudio tone(int rate, int millis) {
    short[] s = new short[rate * millis / 1000];
    for (int i = 0; i < s.length; i++) {
      s[i] = (short) (5000 * Math.sin(2 * Math.PI * 440 * i / rate));
    }
    return PcmAudio.of(s, rate);
  }
}
