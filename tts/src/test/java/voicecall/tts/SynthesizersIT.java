package voicecall.tts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okio.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import voicecall.tts.audio.PcmAudio;
import voicecall.tts.audio.Wav;

/** The real engines: FreeTTS in process and espeak-ng as processes. */
class SynthesizersIT {

  private static final Synthesizer freeTts = Synthesizers.freeTts(2);
  private static final Synthesizer espeak = Synthesizers.espeakNg(2);

  @AfterAll
  static void close() {
    freeTts.close();
    espeak.close();
  }

  private static PcmAudio speak(Synthesizer synthesizer, String text, Voice voice) {
    return Objects.requireNonNull(
        synthesizer.synthesize(text, voice).block(Duration.ofSeconds(30)));
  }

  private static void assertSpeech(PcmAudio audio, String text, Language language, int rate) {
    assertThat(audio.sampleRate()).isEqualTo(rate);
    assertThat(SpeechCheck.problem(audio, text, language)).isNull();
  }

  @Test
  void freeTtsSpeaksEnglishAt16k() {
    String text = "Your new plan starts on the first of next month.";
    PcmAudio audio = speak(freeTts, text, Voice.of(Language.ENGLISH));
    assertThat(audio).isNotNull();
    assertSpeech(audio, text, Language.ENGLISH, 16_000);
    assertThat(audio.duration()).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(6));
  }

  @Test
  void warmUpGivesEveryFreeTtsWorkerItsVoiceOnce() {
    FreeTtsSynthesizer three = new FreeTtsSynthesizer(3, 16);
    try {
      Synthesizer chain = Synthesizers.withFallback(Duration.ofSeconds(5), List.of(three, espeak));
      StepVerifier.create(chain.warmUp()).verifyComplete();
      assertThat(three.voicesAllocated()).isEqualTo(3);
      Flux.range(0, 9)
          .flatMap(i -> three.synthesize("Number " + i + ".", Voice.of(Language.ENGLISH)), 3)
          .blockLast(Duration.ofSeconds(60));
      assertThat(three.voicesAllocated()).isEqualTo(3);
    } finally {
      three.close();
    }
  }

  @Test
  void freeTtsDoesNotSpeakKorean() {
    assertThat(freeTts.supports(Language.KOREAN)).isFalse();
    StepVerifier.create(freeTts.synthesize("안녕하세요", Voice.of(Language.KOREAN)))
        .expectErrorMessage("freetts speaks English only, not " + Voice.of(Language.KOREAN))
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void freeTtsWorkersSpeakConcurrentlyWithTheirOwnVoices() {
    List<String> texts =
        List.of(
            "One moment please.",
            "Your bill is ready.",
            "Thank you for calling.",
            "Please hold the line.",
            "Your data plan has been renewed.",
            "Goodbye.");
    List<PcmAudio> audio =
        Flux.fromIterable(texts)
            .flatMapSequential(t -> freeTts.synthesize(t, Voice.of(Language.ENGLISH)), 4)
            .collectList()
            .blockOptional(Duration.ofSeconds(60))
            .orElseThrow();
    assertThat(audio).hasSize(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      assertSpeech(audio.get(i), texts.get(i), Language.ENGLISH, 16_000);
    }
  }

  @Test
  void espeakSpeaksKoreanAndEnglishAt22k() {
    EspeakInstalled.assume();
    assertThat(espeak.supports(Language.KOREAN)).isTrue();
    String korean = "요금제 변경은 다음 달 일 일부터 적용됩니다.";
    PcmAudio ko = speak(espeak, korean, Voice.of(Language.KOREAN));
    assertThat(ko).isNotNull();
    assertSpeech(ko, korean, Language.KOREAN, 22_050);
    String english = "Please restart your phone.";
    PcmAudio en = speak(espeak, english, Voice.of(Language.ENGLISH));
    assertThat(en).isNotNull();
    assertSpeech(en, english, Language.ENGLISH, 22_050);
  }

  @Test
  void textThatLooksLikeAnOptionIsSpokenNotObeyed() {
    EspeakInstalled.assume();
    String text = "--version please";
    PcmAudio audio = speak(espeak, text, Voice.of(Language.ENGLISH));
    assertThat(audio).isNotNull();
    assertSpeech(audio, text, Language.ENGLISH, 22_050);
  }

  @Test
  void missingEspeakSaysHowToInstallAndKoreanFallsBackToTheNextSynthesiser() throws IOException {
    Synthesizer missing = Synthesizers.espeakNg("/nonexistent/espeak-ng", 1);
    assertThat(missing.supports(Language.KOREAN)).isFalse();
    Synthesizer alone = Synthesizers.withFallback(Duration.ofSeconds(2), List.of(missing, freeTts));
    StepVerifier.create(alone.synthesize("안녕하세요", Voice.of(Language.KOREAN)))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(SynthesisException.class)
                    .hasMessageContaining("espeak-ng: does not speak KOREAN")
                    .hasMessageContaining("freetts: does not speak KOREAN"))
        .verify(Duration.ofSeconds(5));

    try (MockWebServer server = new MockWebServer()) {
      short[] samples = new short[24_000];
      for (int i = 0; i < samples.length; i++) {
        samples[i] = (short) (6000 * Math.sin(2 * Math.PI * 180 * i / 24_000.0));
      }
      PcmAudio remoteAudio = PcmAudio.of(samples, 24_000);
      server.enqueue(new MockResponse().setBody(new Buffer().write(Wav.encode(remoteAudio))));
      server.start();
      Synthesizer remote =
          Synthesizers.remote(
              new RemoteSpeechConfig(
                  URI.create(server.url("/").toString()),
                  "tts-1",
                  "alloy",
                  null,
                  Duration.ofSeconds(5)));
      Synthesizer chain =
          Synthesizers.withFallback(Duration.ofSeconds(5), List.of(missing, remote));
      StepVerifier.create(chain.synthesize("안녕하세요", Voice.of(Language.KOREAN)))
          .expectNext(remoteAudio)
          .verifyComplete();
    }
  }

  @Test
  void aHangingProcessIsKilledWhenTheSynthesisIsCancelled(@TempDir Path dir) throws Exception {
    Path script = dir.resolve("espeak-hangs");
    Files.writeString(
        script, "#!/bin/sh\nif [ \"$1\" = --version ]; then exit 0; fi\nexec sleep 60\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    Synthesizer hanging = Synthesizers.espeakNg(script.toString(), 1);
    try {
      StepVerifier.create(
              hanging
                  .synthesize("hello", Voice.of(Language.ENGLISH))
                  .timeout(Duration.ofMillis(500)))
          .expectError(java.util.concurrent.TimeoutException.class)
          .verify(Duration.ofSeconds(5));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (ProcessHandle.current()
              .descendants()
              .anyMatch(p -> p.info().command().orElse("").contains("sleep"))
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(ProcessHandle.current().descendants().map(p -> p.info().command().orElse("")))
          .noneMatch(c -> c.contains("sleep"));
    } finally {
      hanging.close();
    }
  }
}
