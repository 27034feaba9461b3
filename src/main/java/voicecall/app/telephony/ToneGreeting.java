package voicecall.app.telephony;

import reactor.core.publisher.Mono;
import voicecall.engine.audio.Tones;
import voicecall.engine.call.Call;

/**
 * The answering used until speech exists: a real audible path end to end. The call hears a
 * three-note greeting chime, and every DTMF key it presses is echoed back as that key's tone.
 */
public final class ToneGreeting implements CallAnswering {

  /** How long an echoed key's tone lasts. */
  public static final int ECHO_MILLIS = 160;

  @Override
  public Mono<Void> answer(Call call) {
    call.marks().mark("answered");
    Mono<Void> greeting = call.play(Tones.greeting(call.sampleRate()));
    Mono<Void> echo = call.dtmf().concatMap(key -> call.playDtmf(key, ECHO_MILLIS), 1).then();
    return Mono.when(greeting, echo);
  }
}
