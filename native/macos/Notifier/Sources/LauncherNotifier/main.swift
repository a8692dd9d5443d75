// launcher-notifier: the executable of "Launcher Agent.app". launcher-agent starts it as a child and speaks a
// line protocol over its standard input and output (one JSON object per line):
//
//   agent -> app   {"op":"post","id":"n_…","title":"…","body":"…","url":"https://…"|null,"actions":[{"id":"…","label":"…"}]}
//   app -> agent   {"event":"authorization","authorization":"authorized|provisional|denied|notDetermined|unknown"}
//                  {"event":"posted","id":"n_…","delivered":true|false}     (delivered: Notification Center lists it)
//                  {"event":"failed","id":"n_…","reason":"…"}
//                  {"event":"clicked","id":"n_…","actionId":null|"…"}       (null: the notification itself)
//                  {"event":"dismissed","id":"n_…"}                         (an explicit dismissal only)
//
// The end of standard input (the agent stopped) quits the app. Diagnostics go to standard error.
import AppKit

let application = NSApplication.shared
// A global, so the delegate lives as long as the process (NSApplication keeps only a weak reference).
let notifierDelegate = NotifierDelegate()
application.delegate = notifierDelegate
// LSUIElement in Info.plist says the same; set here as well for a start by exec rather than by Launch Services.
application.setActivationPolicy(.accessory)
application.run()
