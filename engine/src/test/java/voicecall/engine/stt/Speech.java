package voicecall.engine.stt;

import java.time.Duration;
import reactor.core.publisher.Flux;
import voicecall.engine.audio.MuLaw;
import voicecall.engine.testspeech.Flite;
import voicecall.tts.audio.PcmAudio;

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
    return Flite.speak(voice, text).trimSilence(-50, Duration.ZERO);
  }

  /** 20 ms frames, as a telephone channel delivers them. */
  static Flux<PcmAudio> frames(PcmAudio audio) {
    return Flux.fromIterable(audio.frames(Duration.ofMillis(20)));
  }
}
