/**
 * The call flow of one call: greeting, caller speech, recognition, a knowledge decision and a
 * spoken reply, clarifying questions, silence timeouts, goodbye, DTMF (agent, repeat, keypad menu
 * for calls without a recogniser) and barge-in with an echo guard.
 */
@NullMarked
package voicecall.engine.dialogue;

import org.jspecify.annotations.NullMarked;
