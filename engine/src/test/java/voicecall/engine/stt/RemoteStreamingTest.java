package voicecall.engine.stt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import voicecall.tts.audio.PcmAudio;

/**
 * A remote session fed while the caller speaks (frames pushed one by one, as the dialogue does) and
 * asked for the next utterance the moment a transcript arrives, as a dialogue does whose caller
 * started speaking again during finalisation.
 */
class RemoteStreamingTest {

  private final MockWebServer server = new MockWebServer();

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  private Recognizer remote() {
    return Recognizers.remote(
        new RemoteRecognizerConfig(
            URI.create(server.url("/").toString()),
            "whisper-1",
            null,
            "en",
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            4,
            false));
  }

  private static MockResponse json(String text) {
    return new MockResponse()
        .setHeader("Content-Type", "application/json")
        .setBody("{\"text\":\"" + text + "\"}");
  }

  @Test
  void framesPushedWhileSpeakingAreSentWhenTheUtteranceEnds() throws InterruptedException {
    server.enqueue(json("first"));
    try (Recognizer r = remote()) {
      RecognitionSession s = Objects.requireNonNull(r.open().block(Duration.ofSeconds(5)));
      Sinks.Many<PcmAudio> frames = Sinks.many().unicast().onBackpressureBuffer();
      Mono<Transcript> transcript = s.recognize(frames.asFlux()).cache();
      transcript.subscribe();
      PcmAudio tone = RemoteRecognizerTest.tone(8000, 400);
      for (PcmAudio frame : tone.frames(Duration.ofMillis(20))) {
        frames.tryEmitNext(frame);
      }
      assertThat(server.getRequestCount()).as("nothing sent before the end").isZero();
      frames.tryEmitComplete();
      assertThat(transcript.block(Duration.ofSeconds(5)))
          .extracting(Transcript::text)
          .isEqualTo("first");
      assertThat(server.takeRequest().getBodySize()).isGreaterThan(tone.sizeInBytes());
      s.close();
    }
  }

  @Test
  void theNextUtteranceMayStartAsSoonAsTheTranscriptArrives() {
    server.enqueue(json("first"));
    server.enqueue(json("second"));
    PcmAudio tone = RemoteRecognizerTest.tone(8000, 400);
    try (Recognizer r = remote()) {
      String both =
          r.open()
              .flatMap(
                  s ->
                      s.recognize(Mono.just(tone).flux())
                          .flatMap(
                              first ->
                                  s.recognize(Mono.just(tone).flux())
                                      .map(second -> first.text() + " " + second.text()))
                          .doFinally(x -> s.close()))
              .block(Duration.ofSeconds(10));
      assertThat(both).isEqualTo("first second");
    }
  }
}
