package voicecall.engine.stt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Flux;
import voicecall.engine.audio.MuLaw;
import voicecall.tts.audio.PcmAudio;
import voicecall.tts.audio.Wav;

/** Caller speech for tests: flite voices, brought to the telephone band (8 kHz, µ-law). */
final class Speech {

  static final String[] VOICES = {"slt", "rms", "awb", "kal16"};

  private Speech() {}

  /** flite speech, trimmed, at 8 kHz after a µ-law encode/decode round trip. */
  static PcmAudio telephone(String voice, String text) {
    PcmAudio audio = flite(voice, text).resampleTo(8000);
    short[] samples = audio.samples();
    for (int i = 0; i < samples.length; i++) {
      samples[i] = MuLaw.decode(MuLaw.encode(samples[i]));
    }
    PcmAudio pad = PcmAudio.silence(Duration.ofMillis(250), 8000);
    return pad.append(PcmAudio.of(samples, 8000)).append(pad);
  }

  static PcmAudio flite(String voice, String text) {
    try {
      Path wav = Files.createTempFile("flite", ".wav");
      try {
        Process process =
            new ProcessBuilder("flite", "-voice", voice, "-t", text, "-o", wav.toString())
                .redirectErrorStream(true)
                .start();
        byte[] log = process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
          throw new IllegalStateException("flite failed: " + new String(log));
        }
        return Wav.decode(Files.readAllBytes(wav)).trimSilence(-50, Duration.ZERO);
      } finally {
        Files.deleteIfExists(wav);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** 20 ms frames, as a telephone channel delivers them. */
  static Flux<PcmAudio> frames(PcmAudio audio) {
    return Flux.fromIterable(audio.frames(Duration.ofMillis(20)));
  }
}
