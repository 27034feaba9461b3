/** Tests of the call turn loop. */
@NullMarked
package voicecall.engine.dialogue;

import org.jspecify.annotations.NullMarked;
