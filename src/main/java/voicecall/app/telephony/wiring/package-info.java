/** Spring wiring of the telephony adapters; nothing depends on this package. */
@NullMarked
package voicecall.app.telephony.wiring;

import org.jspecify.annotations.NullMarked;
