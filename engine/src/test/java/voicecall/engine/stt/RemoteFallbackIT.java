package voicecall.engine.stt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import voicecall.rag.KnowledgeBase;
import voicecall.tts.audio.PcmAudio;

/**
 * The remote recogniser with the local PocketSphinx one as its fallback: flite speech, a fake
 * remote server (MockWebServer) and real PocketSphinx. Skipped without flite and PocketSphinx
 * locally, a failure under {@code CI=true}.
 */
class RemoteFallbackIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private final MockWebServer server = new MockWebServer();
  private final List<RecognitionRecord> records = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    SpeechToolsInstalled.assume();
    server.start();
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  private Recognizer chain(PocketSphinxRecognizer local, Duration timeout) {
    Recognizer remote =
        Recognizers.remote(
            new RemoteRecognizerConfig(
                URI.create(server.url("/").toString()),
                "whisper-1",
                null,
                "en",
                timeout,
                Duration.ofSeconds(30),
                4,
                true));
    return Recognizers.emptyOnFailure(
        Recognizers.withFallback(
            Recognizers.measured(remote, "remote", records::add),
            Recognizers.measured(local, "pocketsphinx", records::add)));
  }

  private static PocketSphinxRecognizer local() {
    return PocketSphinxRecognizer.create(
        KnowledgeBase.build(1, EvalSet.allEntries()),
        PocketSphinxRecognizer.SYSTEM_MODEL,
        new PocketSphinxRecognizer.Settings(
            4, 2, Duration.ofSeconds(5), 3, Path.of("target", "stt-fallback-work")));
  }

  private static Transcript recognise(Recognizer r, PcmAudio audio) {
    return Objects.requireNonNull(
        Mono.usingWhen(
                r.open(), s -> s.recognize(Speech.frames(audio)), s -> Mono.fromRunnable(s::close))
            .block(WAIT));
  }

  @Test
  void theRemoteTranscriptIsUsedWhenTheServerAnswers() {
    server.enqueue(
        new MockResponse()
            .setHeader("Content-Type", "application/json")
            .setBody("{\"text\":\"How do I pay my bill?\"}"));
    try (PocketSphinxRecognizer local = local()) {
      Transcript t =
          recognise(
              chain(local, Duration.ofSeconds(5)), Speech.telephone("slt", "how do I pay my bill"));
      assertThat(t.text()).isEqualTo("how do i pay my bill");
      assertThat(records).extracting(RecognitionRecord::engine).contains("remote", "pocketsphinx");
      assertThat(records).allMatch(RecognitionRecord::succeeded);
    }
  }

  @Test
  void aServerErrorFallsBackToTheLocalTranscript() {
    server.enqueue(new MockResponse().setResponseCode(500).setBody("boom"));
    try (PocketSphinxRecognizer local = local()) {
      Transcript t =
          recognise(
              chain(local, Duration.ofSeconds(5)), Speech.telephone("rms", "how do I pay my bill"));
      assertThat(t.text()).contains("pay", "bill");
      assertThat(t.words()).isNotEmpty(); // PocketSphinx's, the remote one has no word times
      assertThat(records)
          .extracting(RecognitionRecord::engine, RecognitionRecord::result)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple("remote", "http_status"),
              org.assertj.core.groups.Tuple.tuple("pocketsphinx", "ok"));
    }
  }

  @Test
  void aTimeoutFallsBackToTheLocalTranscript() {
    server.enqueue(
        new MockResponse().setHeadersDelay(5, TimeUnit.SECONDS).setBody("{\"text\":\"too late\"}"));
    try (PocketSphinxRecognizer local = local()) {
      Transcript t =
          recognise(
              chain(local, Duration.ofMillis(500)), Speech.telephone("awb", "my phone was stolen"));
      assertThat(t.text()).contains("phone");
      assertThat(t.text()).doesNotContain("late");
      assertThat(records)
          .filteredOn(r -> r.engine().equals("remote"))
          .extracting(RecognitionRecord::result)
          .containsExactly("timeout");
    }
  }
}
