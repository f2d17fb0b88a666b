import Learning

import Platform

/// Draws an ROC curve as a self-contained SVG a person can open in a browser: false-positive rate on a log scale
/// (0.01% to 100%, where a spam filter lives), true-positive rate on a linear scale, labelled axes and grid, the
/// 1-ROCA% in the title, and the filter's own operating point marked.
public enum ROCPlot {
    public static func svg(_ scored: [ScoredExample], title: String) -> String {
        let metrics = EvaluationMetrics(scored)
        let curve = EvaluationMetrics.rocCurve(scored)
        let width = 640.0, height = 480.0
        let left = 80.0, right = 30.0, top = 60.0, bottom = 70.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let minimumRate = 1e-4
        // Zoom the vertical axis on where the curve is: from 10% below the spam caught at the left edge.
        let tprAtLeft = curve.filter { $0.falsePositiveRate <= minimumRate }.map(\.truePositiveRate).max() ?? 0
        let yMinimum = max(0, min(0.9, (tprAtLeft * 10).rounded(.down) / 10 - 0.1))
        func x(_ rate: Double) -> Double {
            let clamped = max(minimumRate, min(1, rate))
            return left + plotWidth * (log10(clamped) - log10(minimumRate)) / (0 - log10(minimumRate))
        }
        func y(_ rate: Double) -> Double { top + plotHeight * (1 - (max(yMinimum, rate) - yMinimum) / (1 - yMinimum)) }
        func f(_ v: Double) -> String { formatFixed(v, decimals: 1) }

        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(f(width / 2))" y="24" text-anchor="middle" font-size="15">\(escape(title))</text>
            <text x="\(f(width / 2))" y="42" text-anchor="middle" fill="#555">1-ROCA% \(formatFixed(metrics.oneMinusROCAPercent, decimals: 4)), \(metrics.spam) spam, \(metrics.ham) ham</text>

            """
        // Grid and ticks.
        for exponent in -4...0 {
            let rate = pow(10.0, Double(exponent))
            let label =
                exponent == 0
                ? "100%" : (exponent == -1 ? "10%" : (exponent == -2 ? "1%" : (exponent == -3 ? "0.1%" : "0.01%")))
            svg +=
                "<line x1=\"\(f(x(rate)))\" y1=\"\(f(top))\" x2=\"\(f(x(rate)))\" y2=\"\(f(top + plotHeight))\" stroke=\"#ddd\"/>\n"
            svg +=
                "<text x=\"\(f(x(rate)))\" y=\"\(f(top + plotHeight + 18))\" text-anchor=\"middle\">\(label)</text>\n"
        }
        var tick = yMinimum
        while tick <= 1.0001 {
            svg +=
                "<line x1=\"\(f(left))\" y1=\"\(f(y(tick)))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(y(tick)))\" stroke=\"#ddd\"/>\n"
            svg +=
                "<text x=\"\(f(left - 8))\" y=\"\(f(y(tick) + 4))\" text-anchor=\"end\">\(formatFixed(100 * tick, decimals: 0))%</text>\n"
            tick += (1 - yMinimum) / 5
        }
        svg += """
            <rect x="\(f(left))" y="\(f(top))" width="\(f(plotWidth))" height="\(f(plotHeight))" fill="none" stroke="#333"/>
            <text x="\(f(left + plotWidth / 2))" y="\(f(height - 20))" text-anchor="middle">false-positive rate: ham called spam (log scale)</text>
            <text x="20" y="\(f(top + plotHeight / 2))" text-anchor="middle" transform="rotate(-90 20 \(f(top + plotHeight / 2)))">true-positive rate: spam caught</text>

            """
        // The curve, as a staircase.
        var path = "M \(f(x(minimumRate))) \(f(y(tprAtLeft)))"
        for point in curve where point.falsePositiveRate > minimumRate {
            path += " L \(f(x(point.falsePositiveRate))) \(f(y(point.truePositiveRate)))"
        }
        svg += "<path d=\"\(path)\" fill=\"none\" stroke=\"#1f5fbf\" stroke-width=\"2\"/>\n"
        // The operating point: the filter's own spam verdicts.
        let fpr = metrics.falsePositiveRate, tpr = metrics.recall
        svg += "<circle cx=\"\(f(x(fpr)))\" cy=\"\(f(y(tpr)))\" r=\"5\" fill=\"#d33\"/>\n"
        svg +=
            "<text x=\"\(f(x(fpr) + 8))\" y=\"\(f(y(tpr) + 16))\" fill=\"#d33\">verdict spam: \(formatFixed(100 * fpr, decimals: 2))% of ham, \(formatFixed(100 * tpr, decimals: 1))% of spam\(fpr < minimumRate ? " (0 ham, drawn at 0.01%)" : "")</text>\n"
        return svg + "</svg>\n"
    }

    private static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }
}
