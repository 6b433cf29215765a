import { expect } from 'chai'
import { layoutBars, niceMax, shorten, ticks } from '../src/chart-layout.js'

describe('web UI bar chart geometry', () => {
  it('rounds the scale up to 1, 2 or 5 times a power of ten', () => {
    expect([0, 0.4, 1, 3, 7, 12, 40, 99, 101, 1500].map(niceMax)).to.deep.equal([1, 0.5, 1, 5, 10, 20, 50, 100, 200, 2000])
  })

  it('puts ticks at whole numbers on small scales', () => {
    expect(ticks(100)).to.deep.equal([0, 25, 50, 75, 100])
    expect(ticks(2)).to.deep.equal([0, 1, 2])
    expect(ticks(5)).to.deep.equal([0, 1.25, 2.5, 3.75, 5])
  })

  it('lays out one bar per series and row, proportional to the value, within the plot', () => {
    const l = layoutBars({
      rows: [{ label: 'Poland', values: [4, 2] }, { label: 'Czechia', values: [0, null] }],
      series: [{ name: 'sent', cls: 's' }, { name: 'received', cls: 'r' }],
      format: String,
      width: 400
    })
    expect(l.bars).to.have.length(4)
    expect(l.ticks.at(-1)!.text).to.equal('5')
    const [poSent, poReceived, czSent, czReceived] = l.bars
    expect(poSent!.width / l.plotWidth).to.be.closeTo(4 / 5, 1e-9)
    expect(poReceived!.width).to.be.closeTo(poSent!.width / 2, 1e-9)
    expect(czSent!.width).to.equal(0)
    expect(czReceived!.text).to.equal('–')
    expect(l.plotX + l.plotWidth).to.be.at.most(400)
    expect(czSent!.y).to.be.greaterThan(poReceived!.y)
    expect(l.height).to.be.greaterThan(czReceived!.y + czReceived!.height)
  })

  it('caps values at the given maximum and places marks on the same scale', () => {
    const l = layoutBars({ rows: [{ label: 'x', values: [150], cls: 'good' }], series: [{ name: 'a', cls: 'a' }], max: 100, marks: [{ value: 80, label: 'target' }], format: (n) => `${n} %` })
    expect(l.bars[0]!.width).to.equal(l.plotWidth)
    expect(l.bars[0]!.cls).to.equal('good')
    expect(l.marks[0]!.x - l.plotX).to.be.closeTo(0.8 * l.plotWidth, 1e-9)
    expect(l.bars[0]!.text).to.equal('150 %')
  })

  it('shortens long labels and leaves short ones alone', () => {
    expect(shorten('Urząd Miasta Krakowa', 30)).to.equal('Urząd Miasta Krakowa')
    expect(shorten('Živnostenský úřad města Brna, odbor', 10)).to.equal('Živnosten…')
    expect(shorten('Živnostenský úřad města Brna, odbor', 10)).to.have.length(10)
  })
})
