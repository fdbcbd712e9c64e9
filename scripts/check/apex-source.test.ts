import { declaredMethods, inlineQueries, maskApex } from './apex-source';

describe('maskApex', () => {
  it('blanks comments and string contents but keeps offsets and newlines', () => {
    const source = "String s = 'a // b'; // [SELECT Id FROM X]\n/* two\nlines */ Integer i;";
    const masked = maskApex(source);
    expect(masked).toHaveLength(source.length);
    expect(masked.split('\n')).toHaveLength(3);
    expect(masked).not.toMatch(/SELECT|two|a \/\/ b/);
    expect(masked).toMatch(/String s = '      ';/);
    expect(masked.endsWith(' Integer i;')).toBe(true);
  });

  it('handles escaped quotes inside strings', () => {
    expect(maskApex("x = 'it\\'s [SELECT'; y = [SELECT Id FROM A];")).toMatch(/y = \[SELECT Id FROM A\];$/);
  });
});

describe('inlineQueries', () => {
  it('finds bracketed SOQL with its offset, skipping comments and strings', () => {
    const source =
      "// [SELECT Bad FROM X]\nString q = '[SELECT Id FROM Y]';\nList<A> a = [\n  select Id, (SELECT Id FROM Bs) FROM A WHERE Name = 'x]'\n];\nInteger[] n = new Integer[3];";
    const queries = inlineQueries(source);
    expect(queries).toHaveLength(1);
    expect(queries[0]!.soql.trim()).toBe("select Id, (SELECT Id FROM Bs) FROM A WHERE Name = 'x]'");
    expect(source.slice(queries[0]!.offset - 1, queries[0]!.offset)).toBe('[');
  });
});

describe('declaredMethods', () => {
  const source = `public with sharing class Controller {
  private static final String KEY = 'x';
  @AuraEnabled(cacheable=true)
  public static List<Map<String, Object>> rows(Id recordId) { if (true) { helper(1); } return null; }
  @AuraEnabled
  public String instanceOnly() { return KEY; }
  public static void notExposed() {}
  public Controller() {}
  public class Inner {
    @AuraEnabled public static void innerMethod() {}
  }
}`;

  it('lists top-level methods with their static modifier and annotations', () => {
    const methods = declaredMethods(source).map(({ name, isStatic, annotations }) => ({ name, isStatic, annotations }));
    expect(methods).toEqual([
      { name: 'rows', isStatic: true, annotations: ['auraenabled'] },
      { name: 'instanceOnly', isStatic: false, annotations: ['auraenabled'] },
      { name: 'notExposed', isStatic: true, annotations: [] }
    ]);
  });
});
