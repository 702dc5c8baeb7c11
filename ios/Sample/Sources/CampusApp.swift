import SwiftUI
import UIKit

/// The sample app: one screen showing the campus mini program.
@main
struct CampusApp: App {
    var body: some Scene {
        WindowGroup {
            CampusScreen().ignoresSafeArea(edges: .bottom)
        }
    }
}

/// `CampusViewController` inside SwiftUI.
struct CampusScreen: UIViewControllerRepresentable {
    func makeUIViewController(context: Context) -> UINavigationController {
        let controller = CampusViewController(packagePath: Bundle.main.path(forResource: "campus", ofType: nil) ?? "")
        let navigation = UINavigationController(rootViewController: controller)
        navigation.setNavigationBarHidden(true, animated: false) // the mini program draws its own
        return navigation
    }

    func updateUIViewController(_ controller: UINavigationController, context: Context) {}
}
