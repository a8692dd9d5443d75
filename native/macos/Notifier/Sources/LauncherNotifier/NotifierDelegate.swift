import AppKit
import UserNotifications

/// The application delegate and the notification center's delegate. All state is touched on the main thread:
/// UserNotifications calls its completion handlers and delegate methods on threads of its choosing, and every one
/// of them hops to the main queue first.
final class NotifierDelegate: NSObject, NSApplicationDelegate, UNUserNotificationCenterDelegate {
    /// Categories kept registered (one per recent notification, since each carries its own actions).
    private static let maxCategories = 64
    /// Notifications whose action keys are remembered, for mapping a response back to the sender's action id.
    private static let maxRemembered = 1_000
    /// How long to look for a posted notification in Notification Center before saying it is not listed.
    private static let deliveredChecks = 5
    private static let deliveredCheckInterval: TimeInterval = 0.3

    private let center = UNUserNotificationCenter.current()
    private let output = EventWriter()
    private var categories: [String: UNNotificationCategory] = [:]
    private var categoryOrder: [String] = []
    private var actionIds: [String: [String]] = [:]
    private var actionOrder: [String] = []
    private var reader: LineReader?

    // MARK: NSApplicationDelegate

    func applicationWillFinishLaunching(_ notification: Notification) {
        // Apple: the delegate must be set before the app finishes launching, or a response that launched the app
        // is not delivered to it.
        center.delegate = self
    }

    func applicationDidFinishLaunching(_ notification: Notification) {
        reportAuthorization(requestIfUndetermined: true)
        let reader = LineReader(
            maxLineBytes: 256 * 1024,
            onLine: { line in DispatchQueue.main.async { self.handle(line) } },
            onEnd: { DispatchQueue.main.async { NSApp.terminate(nil) } })
        self.reader = reader
        reader.start()
    }

    // MARK: Authorisation

    /// Reports the current authorisation; when the user was never asked, asks (the system shows its prompt once)
    /// and reports again with the answer.
    private func reportAuthorization(requestIfUndetermined: Bool) {
        center.getNotificationSettings { settings in
            let status = settings.authorizationStatus
            DispatchQueue.main.async {
                self.output.send(Event(event: "authorization", authorization: Self.name(of: status)))
                guard requestIfUndetermined, status == .notDetermined else {
                    return
                }

                self.center.requestAuthorization(options: [.alert, .sound]) { _, error in
                    if let error {
                        diagnose("requestAuthorization failed: \(error.localizedDescription)")
                    }

                    DispatchQueue.main.async { self.reportAuthorization(requestIfUndetermined: false) }
                }
            }
        }
    }

    private static func name(of status: UNAuthorizationStatus) -> String {
        switch status {
        case .authorized: return "authorized"
        case .provisional: return "provisional"
        case .denied: return "denied"
        case .notDetermined: return "notDetermined"
        // .ephemeral exists on iOS only; anything newer is reported as unknown rather than guessed.
        default: return "unknown"
        }
    }

    // MARK: Requests

    private func handle(_ line: String) {
        guard let request = try? JSONDecoder().decode(Request.self, from: Data(line.utf8)) else {
            diagnose("ignored a request that is not valid JSON of the expected shape")
            return
        }

        guard request.op == "post" else {
            output.send(Event(event: "failed", id: request.id, reason: "unknown op \(request.op.prefix(32))"))
            return
        }

        post(request)
    }

    private func post(_ request: Request) {
        let content = UNMutableNotificationContent()
        content.title = request.title
        // The link stays visible as text, as on the other presenters; a click opens it (the agent does that).
        if let url = request.url {
            content.body = request.body.isEmpty ? url : "\(request.body)\n\(url)"
        } else {
            content.body = request.body
        }

        content.categoryIdentifier = registerCategory(for: request)
        let notification = UNNotificationRequest(identifier: request.id, content: content, trigger: nil)

        // setNotificationCategories is asynchronous: reading the categories back first makes sure the new one is
        // registered before the notification that uses it is added.
        center.getNotificationCategories { _ in
            self.center.add(notification) { error in
                if let error {
                    DispatchQueue.main.async {
                        self.output.send(Event(event: "failed", id: request.id, reason: Self.describe(error)))
                    }
                    return
                }

                self.checkDelivered(request.id, attemptsLeft: Self.deliveredChecks)
            }
        }
    }

    /// "posted" with delivered: true once Notification Center lists it; false when it never does within the
    /// checks (alerts off, Focus, or the user keeps nothing there): accepted, but not known to be seen.
    private func checkDelivered(_ id: String, attemptsLeft: Int) {
        center.getDeliveredNotifications { delivered in
            let listed = delivered.contains { $0.request.identifier == id }
            DispatchQueue.main.async {
                if listed || attemptsLeft <= 1 {
                    self.output.send(Event(event: "posted", id: id, delivered: listed))
                    return
                }

                DispatchQueue.main.asyncAfter(deadline: .now() + Self.deliveredCheckInterval) {
                    self.checkDelivered(id, attemptsLeft: attemptsLeft - 1)
                }
            }
        }
    }

    /// One category per notification, named after it, with its actions keyed "action.N" (a sender's action id is
    /// arbitrary text and must not collide with the system's identifiers). customDismissAction makes an explicit
    /// dismissal reach the delegate.
    private func registerCategory(for request: Request) -> String {
        let identifier = "launcher.\(request.id)"
        let actions = request.actions.prefix(4).enumerated().map { index, action in
            UNNotificationAction(identifier: "action.\(index)", title: action.label, options: [])
        }

        categories[identifier] = UNNotificationCategory(
            identifier: identifier,
            actions: actions,
            intentIdentifiers: [],
            options: [.customDismissAction])
        categoryOrder.removeAll { $0 == identifier }
        categoryOrder.append(identifier)
        while categoryOrder.count > Self.maxCategories {
            categories.removeValue(forKey: categoryOrder.removeFirst())
        }

        actionIds[request.id] = request.actions.prefix(4).map(\.id)
        actionOrder.append(request.id)
        while actionOrder.count > Self.maxRemembered {
            actionIds.removeValue(forKey: actionOrder.removeFirst())
        }

        // The set replaces every category registered before; it holds all that are still kept.
        center.setNotificationCategories(Set(categories.values))
        return identifier
    }

    private static func describe(_ error: Error) -> String {
        let nsError = error as NSError
        return "\(nsError.domain) \(nsError.code): \(nsError.localizedDescription)"
    }

    // MARK: UNUserNotificationCenterDelegate

    /// Also shown while this windowless app counts as the frontmost one.
    func userNotificationCenter(
        _ center: UNUserNotificationCenter,
        willPresent notification: UNNotification,
        withCompletionHandler completionHandler: @escaping (UNNotificationPresentationOptions) -> Void
    ) {
        completionHandler([.banner, .list])
    }

    func userNotificationCenter(
        _ center: UNUserNotificationCenter,
        didReceive response: UNNotificationResponse,
        withCompletionHandler completionHandler: @escaping () -> Void
    ) {
        let id = response.notification.request.identifier
        let action = response.actionIdentifier
        DispatchQueue.main.async {
            switch action {
            case UNNotificationDefaultActionIdentifier:
                self.output.send(Event(event: "clicked", id: id))
            case UNNotificationDismissActionIdentifier:
                self.output.send(Event(event: "dismissed", id: id))
            default:
                if action.hasPrefix("action."), let index = Int(action.dropFirst("action.".count)),
                   let ids = self.actionIds[id], index >= 0, index < ids.count {
                    self.output.send(Event(event: "clicked", id: id, actionId: ids[index]))
                } else {
                    diagnose("a response with an unknown action for \(id)")
                }
            }

            completionHandler()
        }
    }
}
