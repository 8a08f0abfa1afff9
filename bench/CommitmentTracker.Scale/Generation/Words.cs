using CommitmentTracker.Domain.Commitments;

namespace CommitmentTracker.Scale.Generation;

/// <summary>The vocabulary of the generated company: names, products and the sentences people type.</summary>
internal static class Words
{
    public static readonly string[] Teams =
    [
        "North", "South", "East", "West", "Central", "Nordics", "Benelux", "Iberia", "Alps", "Baltics",
        "Britain", "Ireland", "France", "Italy", "Poland", "Danube", "Adriatic", "Aegean", "Rhine", "Atlantic",
    ];

    public static readonly string[] FirstNames =
    [
        "Anna", "Ben", "Clara", "David", "Elif", "Felix", "Greta", "Hugo", "Ines", "Jonas", "Katja", "Lars", "Maya", "Nils",
        "Olga", "Paul", "Quinn", "Rosa", "Sven", "Tara", "Umar", "Vera", "Wim", "Xenia", "Yusuf", "Zoe", "Aino", "Bruno",
        "Chiara", "Dario", "Emma", "Filip", "Hana", "Igor", "Jana", "Karim", "Lena", "Marek", "Nora", "Oskar", "Pia", "Rafael",
        "Sara", "Tomas", "Ula", "Viktor", "Wanda", "Yara", "Zeno", "Amir", "Bea", "Cem", "Dora", "Erik", "Fatima", "Goran",
    ];

    public static readonly string[] LastNames =
    [
        "Andersen", "Bauer", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Horvat", "Ivanova", "Jensen", "Kowalski",
        "Lindberg", "Moreau", "Novak", "Olsen", "Petrov", "Quist", "Rossi", "Schmidt", "Takacs", "Urban", "Varga", "Weber",
        "Young", "Zielinski", "Almeida", "Berg", "Conti", "Dahl", "Engel", "Ferreira", "Gruber", "Hansen", "Illes", "Jovanovic",
        "Keller", "Laine", "Meyer", "Nielsen", "Ortiz", "Peeters", "Ricci", "Sandberg", "Toth", "Vidal", "Wagner", "Koch",
    ];

    public static readonly string[] CompanyFirst =
    [
        "Alpine", "Baltic", "Cedar", "Delta", "Evergreen", "Falcon", "Granite", "Harbor", "Iron", "Juniper", "Keystone", "Lakeside",
        "Meridian", "Northgate", "Oakridge", "Pioneer", "Quarry", "Riverside", "Summit", "Tidewater", "Union", "Valley", "Westfield",
        "Zenith", "Amber", "Bluewater", "Copper", "Driftwood", "Eastpoint", "Foxglove", "Goldcrest", "Highland", "Ivory", "Jasper",
        "Kingfisher", "Lighthouse", "Maple", "Nimbus", "Orchard", "Polaris",
    ];

    public static readonly string[] CompanySecond =
    [
        "Logistics", "Manufacturing", "Foods", "Clinics", "Retail", "Energy", "Bank", "Labs", "Importers", "Pharma", "Motors",
        "Textiles", "Packaging", "Breweries", "Hotels", "Airlines", "Shipping", "Chemicals", "Insurance", "Telecom", "Robotics",
        "Furniture", "Dairy", "Steel", "Plastics", "Printing", "Software", "Hospitals", "Farms", "Water", "Cement", "Glass",
        "Paper", "Timber", "Tools", "Optics", "Medical", "Transit", "Utilities", "Media", "Outdoor", "Bakeries", "Cosmetics",
        "Electronics", "Engineering", "Aerospace", "Mining", "Seafood", "Beverages", "Semiconductors", "Ports", "Rail",
        "Security", "Cleaning", "Catering", "Education", "Sports", "Toys", "Garden", "Pets",
    ];

    public static readonly string[] CompanyForm = ["", " Group", " Holding", " AG", " GmbH", " SA", " Ltd", " BV", " Oy", " AB", " & Co", " Partners"];

    public static readonly string[] Industries =
    [
        "Logistics", "Manufacturing", "Food processing", "Healthcare", "Retail", "Energy", "Finance", "Research", "Distribution",
        "Pharmaceuticals", "Automotive", "Hospitality", "Telecommunications", "Public sector", "Construction", "Education",
    ];

    public static readonly string[] Products =
    [
        "Warehouse scanners", "Line monitoring", "Cold-chain sensors", "Booking system", "Point-of-sale", "Fleet telematics",
        "Label printers", "Queue kiosks", "Lab data platform", "Access control", "Energy meters", "Conveyor controls",
        "Vision inspection", "Shop-floor tablets", "Predictive maintenance", "Dock scheduling", "Pallet tracking", "Digital signage",
        "Video analytics", "Backup appliances", "Field service app", "Temperature loggers", "Smart lockers", "Barcode verifiers",
        "Weighing stations", "Robotic pickers", "Network upgrade", "Meeting-room screens", "Badge printers", "Voice picking",
    ];

    public static readonly string[] Projects = ["rollout", "pilot", "upgrade", "expansion", "phase 2", "replacement", "renewal", "for the new site", "across all sites", "proof of concept"];

    public static readonly string[] Outcomes =
    [
        "Pick rate up by a quarter before peak season.",
        "Unplanned stops visible within a minute instead of at the shift report.",
        "No spoiled batches from undetected temperature drift.",
        "Patients book online and no-shows drop by a third.",
        "Checkout time per basket under 40 seconds in every store.",
        "Every field van located live and fuel use reported weekly.",
        "Every parcel labelled at the packing station, no hand-written slips.",
        "Average wait in the busiest branches under 8 minutes.",
        "Every result traceable to its sample in one search.",
        "Energy use per unit produced down by 10% within a year.",
        "Dock waiting time under 20 minutes for every truck.",
        "Defects caught at the line, not by the customer.",
    ];

    public static string Promise(CommitmentKind kind, Rng rng) => kind switch
    {
        CommitmentKind.Delivery => rng.Pick(DeliveryPromises) + $" ({rng.Between(4, 240)} units)",
        CommitmentKind.Installation => rng.Pick(InstallationPromises),
        CommitmentKind.Training => rng.Pick(TrainingPromises) + $" ({rng.Between(4, 60)} people)",
        CommitmentKind.Support => rng.Pick(SupportPromises),
        CommitmentKind.Outcome => rng.Pick(OutcomePromises),
        _ => rng.Pick(OtherPromises),
    };

    private static readonly string[] DeliveryPromises =
    [
        "Deliver the handheld scanners configured for the WMS", "Deliver the sensors with calibration certificates",
        "Deliver the kiosks with the branch branding", "Deliver the label printers configured for the carriers",
        "Deliver the trackers and fitting kits", "Deliver the servers racked and burned in", "Deliver the tablets enrolled in MDM",
        "Deliver the spare-parts kit", "Deliver the weighing terminals", "Deliver the access readers and controllers",
    ];

    private static readonly string[] InstallationPromises =
    [
        "Install the charging racks in both warehouses", "Install the sensors on the production line", "Install the kiosks branch by branch",
        "Install and commission the conveyor controls", "Fit the trackers in the vans at the depot", "Install the cameras at the docks",
        "Install the network cabinets", "Install the screens in the meeting rooms",
    ];

    private static readonly string[] TrainingPromises =
    [
        "Train the pickers and supervisors", "Train the front-desk staff", "Train the maintenance team", "Train the administrators",
        "Train the drivers on the new app", "Train the lab technicians", "Hold the train-the-trainer sessions",
    ];

    private static readonly string[] SupportPromises =
    [
        "Set up next-business-day support for the first year", "Provide on-site support during go-live week",
        "Provide a named support engineer for the rollout", "Run monthly health checks for six months",
    ];

    private static readonly string[] OutcomePromises =
    [
        "Stops visible on the dashboard within 60 seconds", "Temperature drift alarms reach the shift lead within 5 minutes",
        "Pick rate of 120 lines an hour reached", "Checkout under 40 seconds per basket measured over a week",
        "Dock waiting time under 20 minutes for a month", "Online bookings above 50% of appointments",
    ];

    private static readonly string[] OtherPromises =
    [
        "Send the final project documentation", "Confirm the invoice schedule with finance", "Provide the integration test report",
        "Share the security questionnaire answers", "Deliver the as-built drawings",
    ];

    public static readonly string[] CustomerPromises =
    [
        "Give the installer access to the sites for a survey", "Name a project lead for the rollout", "Provide the master data export",
        "Release the vans for fitting in batches", "Sign off the site readiness checklist", "Provide network access and credentials",
        "Free the meeting rooms for the installation day", "Send the list of trainees", "Approve the label layouts",
        "Confirm the go-live date with the stores",
    ];

    public static readonly string[] BlockedReasons =
    [
        "Waiting for the customer to release the site.", "Supplier confirmed a later ship date.", "Part failed incoming inspection.",
        "Waiting for network credentials from the customer.", "Installer crew double-booked.", "Customs hold on the shipment.",
    ];

    public static readonly string[] RenegotiationReasons =
    [
        "The customer moved the go-live.", "The supplier needs two more weeks.", "Site not ready on the agreed day.",
        "Scope added at the customer's request.", "Holiday period at the customer.",
    ];

    public static readonly string[] WaiveReasons =
    [
        "The customer no longer needs it.", "Replaced by a different option agreed with the customer.",
        "Dropped from the scope in the final order.", "The customer does it themselves.",
    ];

    public static readonly string[] Lessons =
    [
        "Confirm supplier dates in writing before promising.", "Do a site survey before the installation date is promised.",
        "Check the customer's part a week before it is due.", "Service reviews every delivery plan before the rep promises it.",
        "Keep a buffer of a week on imported parts.", "Tell the customer the day a date moves, not the day before.",
        "Agree the acceptance test with the customer at close.", "Book installer crews when the order arrives, not later.",
    ];

    public static readonly string[] CompensationItems =
    [
        "Two extra training days", "Upgrade to the next support tier for a year", "A spare-parts kit", "Free consumables for a quarter",
        "An extra on-site health check", "Extended warranty by 12 months",
    ];

    public static readonly string[] OptionDescriptions =
    [
        "Buy the missing part from another distributor.", "Lend a demo unit until the delivery arrives.",
        "Deliver the part that is ready now and the rest later.", "Send a second crew to catch up.",
        "Route the work through our partner in the region.",
    ];

    public static readonly string[] Conversations =
    [
        "Went through the delivery plan; no concerns raised.", "Customer asked about the training schedule.",
        "Confirmed the contact persons on both sides.", "Customer reported a question about the invoice.",
        "Internal: aligned with service on the installation crew.", "Customer confirmed the site will be ready.",
        "Sent the summary of the agreed dates.", "Customer asked whether the delivery can come earlier.",
    ];

    public static readonly string[] Comments = ["Feasible with the standard configuration.", "Needs the larger controller.", "Check the site power first.", "No concerns."];
}
