import UIKit
import XCTest
@testable import MiniAppKit

/// The README's iOS host (examples/embed/ios/CampusViewController.swift, linked into this
/// target and the sample app) runs the campus example.
///
/// Kotlin twin: `CampusActivityTest` (android/src/test/kotlin/dev/miniapp/android/CampusActivityTest.kt).
final class CampusViewControllerTests: XCTestCase {
    func testTheReadmeViewControllerShowsTheCampus() throws {
        let campus = MiniAppViewTests.repo.appendingPathComponent("examples/campus").path
        let window = UIWindow(frame: CGRect(x: 0, y: 0, width: 390, height: 844))
        var controller: CampusViewController? = CampusViewController(packagePath: campus)
        window.rootViewController = controller
        window.makeKeyAndVisible()
        let view = try XCTUnwrap(controller?.view as? MiniAppView)
        let end = Date(timeIntervalSinceNow: 10)
        while !view.visibleText().contains("Refreshed 0 times") && Date() < end {
            RunLoop.main.run(until: Date(timeIntervalSinceNow: 0.005))
        }
        XCTAssertTrue(view.visibleText().contains("河畔大学 Riverside University"), view.visibleText())
        // pause and resume as the app does, then let it go
        NotificationCenter.default.post(name: UIApplication.willResignActiveNotification, object: nil)
        NotificationCenter.default.post(name: UIApplication.didBecomeActiveNotification, object: nil)
        window.rootViewController = nil
        controller = nil
        window.isHidden = true
    }
}
