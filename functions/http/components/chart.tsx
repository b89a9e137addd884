export interface WeekCount {
  /** ISO week, "2025-W13". */
  week: string;
  /** The Monday it starts on, "2025-03-24". */
  monday: string;
  count: number;
}

const WIDTH = 600;
const HEIGHT = 180;
const TOP = 16;
const BOTTOM = 28;
const LEFT = 8;

/**
 * Invitations per week as an inline SVG bar chart: no script, no inline style (the CSP allows
 * neither). The same numbers follow in a table for screen readers.
 */
export function WeeklyChart(props: { weeks: readonly WeekCount[]; label: string }) {
  const { weeks } = props;
  const max = Math.max(1, ...weeks.map((week) => week.count));
  const slot = (WIDTH - LEFT * 2) / Math.max(1, weeks.length);
  const plot = HEIGHT - TOP - BOTTOM;
  return (
    <figure>
      <svg
        class="chart"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby="chart-title"
        xmlns="http://www.w3.org/2000/svg"
      >
        <title id="chart-title">{props.label}</title>
        <line class="axis" x1={LEFT} x2={WIDTH - LEFT} y1={HEIGHT - BOTTOM} y2={HEIGHT - BOTTOM} />
        {weeks.map((week, index) => {
          const height = (week.count / max) * plot;
          const x = LEFT + index * slot + slot * 0.15;
          const y = HEIGHT - BOTTOM - height;
          return (
            <g>
              <rect class="bar" x={x} y={y} width={slot * 0.7} height={height}>
                <title>{`${week.week}: ${week.count}`}</title>
              </rect>
              {week.count > 0 ? (
                <text x={x + slot * 0.35} y={y - 3} text-anchor="middle">
                  {String(week.count)}
                </text>
              ) : null}
              <text x={x + slot * 0.35} y={HEIGHT - BOTTOM + 16} text-anchor="middle">
                {week.monday.slice(5)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>
        <details>
          <summary>The numbers</summary>
          <table>
            <thead>
              <tr>
                <th scope="col">Week starting</th>
                <th scope="col">Invitations</th>
              </tr>
            </thead>
            <tbody>
              {weeks.map((week) => (
                <tr>
                  <td>{week.monday}</td>
                  <td>{String(week.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </figcaption>
    </figure>
  );
}
