resource "aws_vpc" "main" {
  cidr_block = "10.70.0.0/16"
}

resource "aws_subnet" "app" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.70.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "data" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index + 20)
  availability_zone = ["us-east-1a", "us-east-1b"][count.index]
}

resource "aws_security_group" "app" {
  name   = "app"
  vpc_id = aws_vpc.main.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = [aws_vpc.main.cidr_block]
  }
}

resource "aws_instance" "app" {
  ami                    = "ami-0123456789abcdef0"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.app.id
  vpc_security_group_ids = [aws_security_group.app.id]
}

# The data tier's group: each service's port from the application only.
resource "aws_security_group" "data" {
  name   = "data"
  vpc_id = aws_vpc.main.id
  ingress {
    from_port       = 443
    to_port         = 443
    protocol        = "tcp"
    security_groups = [aws_security_group.app.id]
  }
  ingress {
    from_port       = 988
    to_port         = 988
    protocol        = "tcp"
    security_groups = [aws_security_group.app.id]
  }
  ingress {
    from_port       = 2049
    to_port         = 2049
    protocol        = "tcp"
    security_groups = [aws_security_group.app.id]
  }
  ingress {
    from_port       = 6379
    to_port         = 6379
    protocol        = "tcp"
    security_groups = [aws_security_group.app.id]
  }
  ingress {
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = [aws_security_group.app.id]
  }
}

resource "aws_memorydb_subnet_group" "data" {
  name       = "data"
  subnet_ids = aws_subnet.data[*].id
}

resource "aws_memorydb_cluster" "sessions" {
  name               = "sessions"
  acl_name           = "open-access"
  node_type          = "db.t4g.small"
  subnet_group_name  = aws_memorydb_subnet_group.data.name
  security_group_ids = [aws_security_group.data.id]
}

# No security group named: DAX puts it in the VPC's default group, which admits only its
# own members.
resource "aws_dax_subnet_group" "data" {
  name       = "data"
  subnet_ids = aws_subnet.data[*].id
}

resource "aws_dax_cluster" "items" {
  cluster_name       = "items"
  iam_role_arn       = "arn:aws:iam::123456789012:role/dax"
  node_type          = "dax.t3.small"
  replication_factor = 1
  subnet_group_name  = aws_dax_subnet_group.data.name
}

resource "aws_fsx_lustre_file_system" "scratch" {
  storage_capacity   = 1200
  subnet_ids         = [aws_subnet.data[0].id]
  security_group_ids = [aws_security_group.data.id]
  deployment_type    = "SCRATCH_2"
}

# Multi-AZ: a file server in each of two subnets.
resource "aws_fsx_ontap_file_system" "shared" {
  storage_capacity    = 1024
  subnet_ids          = aws_subnet.data[*].id
  preferred_subnet_id = aws_subnet.data[0].id
  deployment_type     = "MULTI_AZ_1"
  throughput_capacity = 128
  security_group_ids  = [aws_security_group.data.id]
}

resource "aws_elasticsearch_domain" "logs" {
  domain_name           = "logs"
  elasticsearch_version = "7.10"
  cluster_config {
    instance_type = "t3.small.elasticsearch"
  }
  ebs_options {
    ebs_enabled = true
    volume_size = 10
  }
  vpc_options {
    subnet_ids         = [aws_subnet.data[1].id]
    security_group_ids = [aws_security_group.data.id]
  }
}

# An RDS proxy and a serverless cache in the data subnets.
resource "aws_db_proxy" "app" {
  name                   = "app"
  engine_family          = "POSTGRESQL"
  role_arn               = "arn:aws:iam::123456789012:role/proxy"
  vpc_subnet_ids         = aws_subnet.data[*].id
  vpc_security_group_ids = [aws_security_group.data.id]
  auth {
    auth_scheme = "SECRETS"
    iam_auth    = "DISABLED"
    secret_arn  = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db"
  }
}

resource "aws_elasticache_serverless_cache" "tokens" {
  name               = "tokens"
  engine             = "valkey"
  subnet_ids         = aws_subnet.data[*].id
  security_group_ids = [aws_security_group.data.id]
}

# A Redshift Serverless workgroup made publicly accessible, in a public subnet, behind a
# group open to the world on 5439.
resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "public" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.70.100.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }
}

resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}

resource "aws_security_group" "warehouse" {
  name   = "warehouse"
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 5439
    to_port     = 5439
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_redshiftserverless_namespace" "analytics" {
  namespace_name = "analytics"
}

resource "aws_redshiftserverless_workgroup" "analytics" {
  namespace_name      = aws_redshiftserverless_namespace.analytics.namespace_name
  workgroup_name      = "analytics"
  subnet_ids          = [aws_subnet.public.id]
  security_group_ids  = [aws_security_group.warehouse.id]
  publicly_accessible = true
}
