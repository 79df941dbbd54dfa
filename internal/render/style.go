package render

import "github.com/kg-news/kg/schema"

// nodeStyle is how one base entity type is drawn. Shapes differ as well as
// colours so the map stays readable in greyscale and for colour-blind readers.
type nodeStyle struct {
	Type   string // base type, or "" for unknown types
	Shape  string
	Style  string // Graphviz node style
	Fill   string
	Border string
	Label  string // legend text
}

// nodeStyles lists the styles in legend order.
var nodeStyles = []nodeStyle{
	{schema.Country, "box", "rounded,filled", "#dbe9f6", "#2b6cb0", "country"},
	{schema.Organization, "hexagon", "filled", "#fde8c8", "#c05621", "organization"},
	{schema.Person, "ellipse", "filled", "#e3f2d5", "#2f855a", "person"},
	{schema.Group, "octagon", "filled", "#efe1f5", "#6b46c1", "group"},
	{schema.Location, "house", "filled", "#eeeeee", "#4a5568", "location"},
	{schema.Document, "note", "filled", "#fff7c2", "#975a16", "document"},
	{"", "ellipse", "filled", "#ffffff", "#718096", "other"},
}

// styleOf returns the style for an entity type ("organization/igo" is drawn
// as an organization).
func styleOf(typ string) nodeStyle {
	b := schema.BaseType(typ)
	for _, s := range nodeStyles {
		if s.Type == b {
			return s
		}
	}
	return nodeStyles[len(nodeStyles)-1]
}

// family groups PLOVER event types into the four classic "quad classes"
// plus non-events, because 16 colours are too many to tell apart on a map
// while cooperative-vs-conflictual and verbal-vs-material is what a reader
// of a relationship map looks for first.
type family struct {
	Name  string
	Color string
}

// Families in legend order. Cooperation is blue/green, conflict orange/red,
// non-events (signs, leader_of, member_of ...) grey.
var (
	famVerbalCoop   = family{"verbal cooperation", "#2b6cb0"}
	famMaterialCoop = family{"material cooperation", "#2f855a"}
	famVerbalConf   = family{"verbal conflict", "#dd6b20"}
	famMaterialConf = family{"material conflict", "#c53030"}
	famNone         = family{"non-event", "#718096"}
	families        = []family{famVerbalCoop, famMaterialCoop, famVerbalConf, famMaterialConf, famNone}
)

// familyOf maps a PLOVER event type to its family. REQUEST counts as verbal
// conflict: in news it is mostly demands ("calls on X to stop"), and PLOVER
// orders it after the cooperative types.
func familyOf(event string) family {
	switch event {
	case "AGREE", "CONSULT", "SUPPORT", "CONCEDE":
		return famVerbalCoop
	case "COOPERATE", "AID", "RETREAT":
		return famMaterialCoop
	case "REQUEST", "ACCUSE", "REJECT", "THREATEN":
		return famVerbalConf
	case "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT":
		return famMaterialConf
	}
	return famNone
}

// eventColors gives each PLOVER type its own colour for the timeline, where
// marks are few per lane and the exact type matters more than on the map.
// Hues run from blue (cooperative) to dark red (force), in PLOVER's order.
var eventColors = map[string]string{
	"AGREE":     "#1d4ed8",
	"CONSULT":   "#3b82f6",
	"SUPPORT":   "#0891b2",
	"CONCEDE":   "#0d9488",
	"COOPERATE": "#16a34a",
	"AID":       "#65a30d",
	"RETREAT":   "#84cc16",
	"REQUEST":   "#ca8a04",
	"ACCUSE":    "#f59e0b",
	"REJECT":    "#ea580c",
	"THREATEN":  "#dc2626",
	"PROTEST":   "#db2777",
	"SANCTION":  "#9333ea",
	"MOBILIZE":  "#7c2d12",
	"COERCE":    "#991b1b",
	"ASSAULT":   "#450a0a",
}

// eventColor returns the timeline colour of a PLOVER type; non-events are grey.
func eventColor(event string) string {
	if c, ok := eventColors[event]; ok {
		return c
	}
	return famNone.Color
}
