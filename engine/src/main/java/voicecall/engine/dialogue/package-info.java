/**
 * The turn loop of one call: greeting, caller speech, recognition, a knowledge decision and a
 * spoken reply, with basic barge-in and transfer to a person.
 */
@NullMarked
package voicecall.engine.dialogue;

import org.jspecify.annotations.NullMarked;
