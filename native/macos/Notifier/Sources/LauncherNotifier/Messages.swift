import Foundation

/// A button of a notification, as the agent sends it.
struct RequestAction: Decodable {
    let id: String
    let label: String
}

/// One request line from the agent.
struct Request: Decodable {
    let op: String
    let id: String
    let title: String
    let body: String
    let url: String?
    let actions: [RequestAction]
}

/// One event line to the agent; absent fields are omitted.
struct Event: Encodable {
    let event: String
    var id: String? = nil
    var authorization: String? = nil
    var delivered: Bool? = nil
    var actionId: String? = nil
    var reason: String? = nil
}
