import type { Entity, EntityProperties } from '../domain/model.js';
import type {
  CodeList,
  DatasetDefinition,
  FieldDefinition,
  PropertyField,
  SubInterventionDefinition,
  SubInterventionField,
} from './definition.js';

/**
 * Indexed, read-only access to a dataset definition, so that callers look fields and
 * codes up by meaning (entity and property) rather than by hard-coded column names.
 */
export class Dataset {
  readonly definition: DatasetDefinition;
  readonly header: string[];
  private readonly byName = new Map<string, FieldDefinition>();
  private readonly byProperty = new Map<string, PropertyField>();
  private readonly codeLists = new Map<string, CodeList>();
  private readonly subInterventionsByCode = new Map<string, SubInterventionDefinition>();

  constructor(definition: DatasetDefinition) {
    this.definition = definition;
    this.header = definition.fields.map((field) => field.name);
    for (const field of definition.fields) {
      this.byName.set(field.name, field);
      if (!isSubInterventionField(field)) this.byProperty.set(`${field.entity}.${field.property}`, field);
    }
    for (const list of definition.codeLists) this.codeLists.set(list.name, list);
    for (const item of definition.subInterventions) this.subInterventionsByCode.set(item.code, item);
  }

  get name(): string {
    return this.definition.name;
  }

  get conventions(): DatasetDefinition['file'] {
    return this.definition.file;
  }

  get subInterventions(): SubInterventionDefinition[] {
    return this.definition.subInterventions;
  }

  fieldNamed(name: string): FieldDefinition | undefined {
    return this.byName.get(name);
  }

  /** Returns the field of an entity's property. Throws when the definition lacks it, because that is a programming error. */
  field<E extends Entity>(entity: E, property: EntityProperties[E]): PropertyField {
    const field = this.byProperty.get(`${entity}.${property}`);
    if (!field) throw new Error(`${this.name} defines no field for ${entity}.${property}`);
    return field;
  }

  /** Column name of a property, for messages and findings. */
  columnOf<E extends Entity>(entity: E, property: EntityProperties[E]): string {
    return this.field(entity, property).name;
  }

  fieldsOf(entity: Entity): FieldDefinition[] {
    return this.definition.fields.filter((field) => field.entity === entity);
  }

  codeList(name: string): CodeList {
    const list = this.codeLists.get(name);
    if (!list) throw new Error(`${this.name} defines no code list named ${name}`);
    return list;
  }

  codeLabel(listName: string, code: string): string | undefined {
    return this.codeList(listName).codes.find((entry) => entry.code === code)?.label;
  }

  subIntervention(code: string): SubInterventionDefinition | undefined {
    return this.subInterventionsByCode.get(code);
  }
}

export function isSubInterventionField(field: FieldDefinition): field is SubInterventionField {
  return 'subIntervention' in field;
}
